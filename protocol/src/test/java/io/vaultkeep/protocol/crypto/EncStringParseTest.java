package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Malformed and unsupported EncStrings: each refused with a message naming the problem, never the content. */
class EncStringParseTest {

    private static final String IV = "pMS6/icTQABtulw52pq2lg==";
    private static final String DATA = "XXbxKxDTh+mWiN1HjH2N1w==";
    private static final String MAC = "Q6PkuT+KX/axrgN9ubD5Ajk2YNwxQkgs3WJM0S0wtG8=";

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "hunter2-no-prefix; not an EncString: the '<type>.' prefix is missing",
        "hunter2.secret; not an EncString: the type prefix is not a number",
        "123.abc; not an EncString: the type prefix is not a number",
        ".abc; not an EncString: the type prefix is not a number",
        "8.ABC; unknown EncString type 8",
        "2." + IV + "|" + DATA + "; EncString type 2 needs 3 part(s) separated by '|', found 2",
        "2." + IV + "|" + DATA + "|" + MAC + "|" + MAC + "; EncString type 2 needs 3 part(s) separated by '|', found 4",
        "0." + IV + "; EncString type 0 needs 2 part(s) separated by '|', found 1",
        "4.AAAA|AA==; EncString type 4 needs 1 part(s) separated by '|', found 2",
        "6.AAAA; EncString type 6 needs 2 part(s) separated by '|', found 1",
        "2.pMS6/icTQABtulw5$pq2lg==|" + DATA + "|" + MAC + "; EncString type 2: the iv part is not valid base64",
        "2." + IV + "|not base64!|" + MAC + "; EncString type 2: the data part is not valid base64",
        "2." + IV + "|" + DATA + "|%%%; EncString type 2: the mac part is not valid base64",
        "2.AAAA|" + DATA + "|" + MAC + "; EncString type 2: the iv must be 16 bytes, found 3",
        "2." + IV + "|AAAA|" + MAC + "; EncString type 2: the ciphertext must be a non-empty multiple of 16 bytes, found 3",
        "2." + IV + "||" + MAC + "; EncString type 2: the ciphertext must be a non-empty multiple of 16 bytes, found 0",
        "2." + IV + "|" + DATA + "|AAAA; EncString type 2: the mac must be 32 bytes, found 3",
        "3.; EncString type 3: the data part is empty",
    })
    void malformedStringsAreRefusedWithASpecificMessage(String value, String message) {
        InvalidEncStringException e = assertThrows(InvalidEncStringException.class, () -> EncString.parse(value));
        assertEquals(message, e.getMessage());
        assertTrue(e.field().isEmpty());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void theFieldLabelPrefixesTheMessage() {
        InvalidEncStringException e = assertThrows(InvalidEncStringException.class,
                () -> SymmetricEncString.parse("2.AAAA|" + DATA + "|" + MAC, "items[3].login.password"));
        assertEquals("items[3].login.password: EncString type 2: the iv must be 16 bytes, found 3", e.getMessage());
        assertEquals("items[3].login.password", e.field().orElseThrow());
    }

    @Test
    void coseV2IsReportedAsUnsupported() {
        UnsupportedEncStringException e = assertThrows(UnsupportedEncStringException.class,
                () -> EncString.parse("7.g1gdpQE6AAEREQMYPQ==", "encKeyValidation_DO_NOT_EDIT"));
        assertEquals(7, e.encType());
        assertEquals("encKeyValidation_DO_NOT_EDIT: EncString type 7 (COSE Encrypt0, Bitwarden's V2 encryption for new "
                + "accounts) is not supported", e.getMessage());
        assertThrows(UnsupportedEncStringException.class, () -> SymmetricEncString.fromBuffer(new byte[] {7, 1, 2, 3}));
    }

    @Test
    void retiredType1IsReportedAsUnsupported() {
        UnsupportedEncStringException e = assertThrows(UnsupportedEncStringException.class,
                () -> EncString.parse("1." + IV + "|" + DATA + "|" + MAC));
        assertEquals(1, e.encType());
    }

    @Test
    void symmetricAndRsaParsersRefuseEachOthersTypes() {
        assertEquals("EncString type 4 is an RSA EncString; a symmetric one (type 0 or 2) was expected",
                assertThrows(InvalidEncStringException.class, () -> SymmetricEncString.parse("4.AAAA")).getMessage());
        assertEquals("EncString type 2 is symmetric; an RSA one (type 3 to 6) was expected",
                assertThrows(InvalidEncStringException.class,
                        () -> RsaEncString.parse("2." + IV + "|" + DATA + "|" + MAC)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.AAAA", "4.AAAA", "5.AAAA|AA==", "6.AAAA|AA=="})
    void rsaTypesParseAndFormatBack(String value) {
        EncString parsed = EncString.parse(value);
        assertInstanceOf(RsaEncString.class, parsed);
        assertEquals(value, parsed.format());
    }

    @Test
    void malformedBuffersAreRefused() {
        assertEquals("the encrypted buffer is empty",
                assertThrows(InvalidEncStringException.class, () -> SymmetricEncString.fromBuffer(new byte[0])).getMessage());
        // 65 zero bytes are a well-formed type-0 buffer: [0x00][iv 16][48 bytes of data].
        assertEquals(EncType.AES_CBC_256_B64, SymmetricEncString.fromBuffer(new byte[65]).type());
        byte[] unknown = new byte[65];
        unknown[0] = 9;
        assertEquals("unknown encrypted buffer type 9",
                assertThrows(InvalidEncStringException.class, () -> SymmetricEncString.fromBuffer(unknown)).getMessage());
        byte[] truncated = new byte[1 + 16 + 32 + 15];
        truncated[0] = 2;
        assertEquals("encrypted buffer type 2: 64 bytes is not a 49-byte header plus a non-empty multiple of 16 bytes",
                assertThrows(InvalidEncStringException.class, () -> SymmetricEncString.fromBuffer(truncated)).getMessage());
    }
}
