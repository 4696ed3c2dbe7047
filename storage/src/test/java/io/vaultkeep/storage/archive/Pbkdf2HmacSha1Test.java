package io.vaultkeep.storage.archive;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.SplittableRandom;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;

class Pbkdf2HmacSha1Test {

    private static byte[] derive(String password, String salt, int iterations, int length) {
        return Pbkdf2HmacSha1.derive(password.getBytes(US_ASCII), salt.getBytes(US_ASCII), iterations, length);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** RFC 6070's test vectors, but the one of 16,777,216 iterations (too slow for the suite). */
    @Test
    void rfc6070Vectors() {
        assertArrayEquals(hex("0c60c80f961f0e71f3a9b524af6012062fe037a6"), derive("password", "salt", 1, 20));
        assertArrayEquals(hex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"), derive("password", "salt", 2, 20));
        assertArrayEquals(hex("4b007901b765489abead49d926f721d065a429c1"), derive("password", "salt", 4096, 20));
        assertArrayEquals(hex("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
                derive("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25));
        assertArrayEquals(hex("56fa6aa75548099dcc37d7f03425e0c3"), derive("pass\0word", "sa\0lt", 4096, 16));
    }

    /**
     * Random passwords (empty, one block, longer than a block: hashed first), salts and lengths
     * (partial last blocks, several blocks) against the JDK's PBKDF2WithHmacSHA1.
     */
    @Test
    void agreesWithTheJdk() throws Exception {
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
        SplittableRandom random = new SplittableRandom(6070);
        for (int n = 0; n < 300; n++) {
            char[] password = new char[n % 3 == 0 ? random.nextInt(0, 100) : random.nextInt(0, 20)];
            for (int i = 0; i < password.length; i++) {
                // ASCII, and a code unit of any kind now and then (multi-byte UTF-8)
                password[i] = random.nextInt(4) == 0 ? (char) random.nextInt(0x80, 0xD800) : (char) random.nextInt(0x20, 0x7F);
            }
            byte[] salt = new byte[random.nextInt(1, 80)];
            random.nextBytes(salt);
            int iterations = random.nextInt(1, 40);
            int length = random.nextInt(1, 100);

            byte[] expected = jdk.generateSecret(new PBEKeySpec(password, salt, iterations, length * 8)).getEncoded();
            byte[] actual = Pbkdf2HmacSha1.derive(new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    salt, iterations, length);
            assertArrayEquals(expected, actual, "case " + n + ": " + password.length + " chars, salt " + salt.length
                    + " bytes, " + iterations + " iterations, " + length + " bytes");
        }
    }

    @Test
    void refusesNoIterationsOrNoOutput() {
        assertThrows(IllegalArgumentException.class, () -> derive("password", "salt", 0, 20));
        assertThrows(IllegalArgumentException.class, () -> derive("password", "salt", 1, 0));
    }

    /** WinZip's keys as the JDK derived them before: 1,000 iterations, AES-128/192/256, a lone surrogate too. */
    @Test
    void winZipKeysAreTheJdksForEveryKeyStrength() throws Exception {
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
        byte[] salt = "sixteen byte slt".getBytes(US_ASCII);
        for (char[] password : new char[][] {TestArchives.password(), "pässwörd €".toCharArray(), {'a', '\uD800', 'b'}}) {
            for (int keyLength : new int[] {16, 24, 32}) {
                byte[] expected = jdk.generateSecret(new PBEKeySpec(password, salt, 1000, (2 * keyLength + 2) * 8))
                        .getEncoded();
                WinZipAes.Keys keys = WinZipAes.deriveKeys(password, salt, keyLength);
                byte[] actual = new byte[2 * keyLength + 2];
                System.arraycopy(keys.cipherKey().getEncoded(), 0, actual, 0, keyLength);
                System.arraycopy(keys.macKey().getEncoded(), 0, actual, keyLength, keyLength);
                // the verifier is read little-endian (ZipStructure.u16)
                actual[2 * keyLength] = (byte) keys.passwordVerifier();
                actual[2 * keyLength + 1] = (byte) (keys.passwordVerifier() >>> 8);
                assertArrayEquals(expected, actual, "password #" + password.length + ", AES-" + keyLength * 8);
            }
        }
    }
}
