package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of encstring-vectors.json: decrypt, mustReject (for the right reason) and format. */
class EncStringVectorsTest {

    private static final JsonNode VECTORS = TestData.json("encstring-vectors.json");

    @TestFactory
    Stream<DynamicTest> decrypt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : VECTORS.get("decrypt")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                SymmetricKey key = SymmetricKey.fromBytes(TestData.b64(c.get("keyB64")));
                SymmetricEncString encString = SymmetricEncString.parse(c.get("encString").asText());
                assertEquals(c.get("type").asInt(), encString.type().code());
                assertEquals(c.get("type").asInt() == 2, key.hasMac());
                byte[] plaintext = encString.decrypt(key);
                if (c.has("plaintext")) {
                    assertEquals(c.get("plaintext").asText(), new String(plaintext, UTF_8));
                    assertEquals(c.get("plaintext").asText(), encString.decryptString(key));
                } else {
                    assertArrayEquals(TestData.b64(c.get("plaintextB64")), plaintext);
                }
                if (c.has("plaintextParts")) {
                    assertArrayEquals(TestData.b64(c.get("plaintextParts").get("encKey")), Arrays.copyOfRange(plaintext, 0, 32));
                    assertArrayEquals(TestData.b64(c.get("plaintextParts").get("macKey")), Arrays.copyOfRange(plaintext, 32, 64));
                }
                if (c.has("keyDerivation")) {
                    JsonNode d = c.get("keyDerivation");
                    MasterKey masterKey = TestData.masterKey(d.get("password").asText(), d.get("email").asText(),
                            KdfParameters.pbkdf2(d.get("iterations").asInt()));
                    assertArrayEquals(TestData.b64(c.get("keyB64")), masterKey.toBytes());
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> mustReject() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : VECTORS.get("mustReject")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String value = c.get("encString").asText();
                if (name.startsWith("downgraded type 0")) {
                    SymmetricKey key = SymmetricKey.fromBytes(TestData.b64(c.get("keyB64")));
                    assertTrue(key.hasMac());
                    // The same ciphertext decrypts under the AES half alone: only the key type refuses it.
                    assertEquals("EncryptMe!", SymmetricEncString.parse(value)
                            .decryptString(SymmetricKey.legacyAesOnly(Arrays.copyOf(key.toBytes(), 32))));
                    WrongKeyTypeException e = assertThrows(WrongKeyTypeException.class,
                            () -> SymmetricEncString.parse(value).decrypt(key));
                    assertTrue(e.getMessage().contains("downgrade"), e.getMessage());
                } else if (name.startsWith("folder name with MAC byte 0 flipped")) {
                    SymmetricKey key = SymmetricKey.fromBytes(TestData.b64(c.get("keyB64")));
                    assertThrows(MacMismatchException.class, () -> SymmetricEncString.parse(value).decrypt(key, "folders[0].name"));
                } else if (name.startsWith("unknown type")) {
                    InvalidEncStringException e = assertThrows(InvalidEncStringException.class, () -> EncString.parse(value));
                    assertEquals("unknown EncString type 8", e.getMessage());
                } else {
                    fail("no check written for mustReject case '" + name + "'");
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> format() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : VECTORS.get("format")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                String value = c.get("encString").asText();
                SymmetricEncString parsed = SymmetricEncString.parse(value);
                JsonNode parts = c.get("parts");
                assertArrayEquals(TestData.b64(parts.get("ivB64")), parsed.iv());
                assertArrayEquals(TestData.b64(parts.get("dataB64")), parsed.data());
                if (parts.has("macB64")) {
                    assertArrayEquals(TestData.b64(parts.get("macB64")), parsed.mac());
                } else {
                    assertNull(parsed.mac());
                }
                assertEquals(value, parsed.format());
                assertEquals(parsed, SymmetricEncString.parse(parsed.format()));
                if (c.has("bufferB64")) {
                    byte[] buffer = TestData.b64(c.get("bufferB64"));
                    assertArrayEquals(buffer, parsed.toBuffer());
                    assertEquals(value, SymmetricEncString.fromBuffer(buffer).format());
                }
                assertInstanceOf(SymmetricEncString.class, EncString.parse(value));
                assertFalse(parsed.toString().contains(parts.get("dataB64").asText()));
            }));
        }
        return tests.stream();
    }
}
