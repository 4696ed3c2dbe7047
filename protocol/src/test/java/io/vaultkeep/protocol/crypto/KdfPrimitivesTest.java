package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** Our PBKDF2 and HKDF-Expand against Bouncy Castle's, on inputs the vectors do not reach. */
class KdfPrimitivesTest {

    @Property(tries = 200)
    void pbkdf2MatchesBouncyCastle(@ForAll @Size(max = 80) byte[] password, @ForAll @Size(max = 40) byte[] salt,
            @ForAll @IntRange(min = 1, max = 30) int iterations, @ForAll @IntRange(min = 1, max = 100) int length) {
        PKCS5S2ParametersGenerator reference = new PKCS5S2ParametersGenerator(new SHA256Digest());
        reference.init(password, salt, iterations);
        byte[] expected = ((KeyParameter) reference.generateDerivedParameters(length * 8)).getKey();
        assertArrayEquals(expected, Kdf.pbkdf2Sha256(password, salt, iterations, length));
    }

    @Property(tries = 200)
    void hkdfExpandMatchesBouncyCastle(@ForAll @Size(min = 32, max = 64) byte[] prk, @ForAll @Size(max = 20) byte[] info,
            @ForAll @IntRange(min = 1, max = 200) int length) {
        HKDFBytesGenerator reference = new HKDFBytesGenerator(new SHA256Digest());
        reference.init(HKDFParameters.skipExtractParameters(prk, info));
        byte[] expected = new byte[length];
        reference.generateBytes(expected, 0, length);
        assertArrayEquals(expected, Kdf.hkdfExpand(prk, info, length));
    }

    @Test
    void emptyPasswordIsAValidPbkdf2Key() {
        PKCS5S2ParametersGenerator reference = new PKCS5S2ParametersGenerator(new SHA256Digest());
        reference.init(new byte[0], "salt".getBytes(UTF_8), 2);
        assertArrayEquals(((KeyParameter) reference.generateDerivedParameters(256)).getKey(),
                Kdf.pbkdf2Sha256(new byte[0], "salt".getBytes(UTF_8), 2, 32));
    }

    @Test
    void passwordsAreUtf8AndLoneSurrogatesBecomeTheReplacementCharacter() {
        assertArrayEquals("pässwörd€😀".getBytes(UTF_8), Kdf.utf8("pässwörd€😀".toCharArray()));
        assertArrayEquals(new byte[] {'a', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, 'b'}, Kdf.utf8(new char[] {'a', '\uD800', 'b'}));
    }

    @Test
    void emailIsTrimmedAndLowerCasedWithoutLocale() {
        assertEquals("test@bitwarden.com", MasterKey.normalizeEmail("  TEST@BitWarden.com\t\n"));
        assertEquals("i@example.com", MasterKey.normalizeEmail("I@EXAMPLE.COM")); // not the Turkish dotless ı
    }

    /** The password-protected export key: KDF over the salt string's UTF-8 bytes, then stretch. */
    @Test
    void deriveStretchedIsDeriveThenStretch() {
        byte[] salt = "Q2hhbmdlIG1lIQ==".getBytes(UTF_8);
        KdfParameters parameters = KdfParameters.pbkdf2(5_000);
        byte[] expected = Kdf.stretch(Kdf.derive("pässword".getBytes(UTF_8), salt, parameters)).toBytes();
        assertArrayEquals(expected, Kdf.deriveStretched("pässword".toCharArray(), salt, parameters).toBytes());
    }

    @Test
    void stretchAndShareableKeyCheckTheirInputLengths() {
        assertThrows(IllegalArgumentException.class, () -> Kdf.stretch(new byte[64]));
        assertThrows(IllegalArgumentException.class, () -> Kdf.shareableKey(new byte[15], "send", "send"));
        assertThrows(IllegalArgumentException.class, () -> Kdf.pbkdf2Sha256(new byte[1], new byte[1], 0, 32));
    }
}
