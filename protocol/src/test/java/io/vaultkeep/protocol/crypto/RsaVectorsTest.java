package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** rsa-vectors.json: types 3, 4 and 6 all decrypt to the same 64-byte key. */
class RsaVectorsTest {

    private static final JsonNode VECTORS = TestData.json("rsa-vectors.json");
    private static final RsaPrivateKey KEY = RsaPrivateKey.fromPkcs8(TestData.b64(VECTORS.get("privateKeyPkcs8DerB64")));

    @Test
    void theKeyMatchesItsPemAndItsPublicKey() {
        String pem = VECTORS.get("privateKeyPem").asText();
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        assertArrayEquals(TestData.b64(body), KEY.toPkcs8());
        assertEquals(VECTORS.get("keyBits").asInt(), KEY.bits());
        assertArrayEquals(TestData.b64(VECTORS.get("publicKeySpkiDerB64")), KEY.publicKey().toSpki());
        assertEquals(KEY.publicKey(), RsaPublicKey.fromSpki(TestData.b64(VECTORS.get("publicKeySpkiDerB64"))));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseDecryptsToTheSameKey() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : VECTORS.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                String value = c.get("encString").asText();
                RsaEncString encString = RsaEncString.parse(value);
                byte[] plaintext = encString.decrypt(KEY);
                assertArrayEquals(TestData.b64(c.get("plaintextB64")), plaintext);
                SymmetricKey key = SymmetricKey.fromBytes(plaintext);
                assertTrue(key.hasMac());
                if (c.has("plaintextParts")) {
                    assertArrayEquals(TestData.b64(c.get("plaintextParts").get("encKey")), Arrays.copyOf(key.toBytes(), 32));
                    assertArrayEquals(TestData.b64(c.get("plaintextParts").get("macKey")),
                            Arrays.copyOfRange(key.toBytes(), 32, 64));
                }
                assertEquals(value, encString.format());
                String hash = c.get("oaep").get("hash").asText();
                assertEquals(hash, RsaEncString.oaep(encString.type()).getDigestAlgorithm());
                assertEquals(c.get("oaep").get("mgf1Hash").asText(),
                        ((MGF1ParameterSpec) RsaEncString.oaep(encString.type()).getMGFParameters())
                                .getDigestAlgorithm());
            }));
        }
        return tests.stream();
    }

    @Test
    void type6IgnoresItsMacPart() {
        JsonNode type6 = VECTORS.get("cases").get(2);
        RsaEncString parsed = RsaEncString.parse(type6.get("encString").asText());
        assertEquals(EncType.RSA2048_OAEP_SHA1_HMAC_SHA256_B64, parsed.type());
        assertArrayEquals(new byte[1], parsed.mac());
        RsaEncString otherMac = new RsaEncString(parsed.type(), parsed.data(), new byte[] {1, 2, 3});
        assertArrayEquals(parsed.decrypt(KEY), otherMac.decrypt(KEY));
    }

    /** OAEP-SHA-256 and OAEP-SHA-1 are not interchangeable: the type prefix selects the digests. */
    @Test
    void theTypeSelectsTheOaepDigest() {
        String type3 = VECTORS.get("cases").get(0).get("encString").asText();
        RsaEncString asType4 = RsaEncString.parse("4." + type3.substring(2));
        assertThrows(DecryptionFailedException.class, () -> asType4.decrypt(KEY, "organizations[0].key"));
        RsaEncString asType5 = RsaEncString.parse("5." + type3.substring(2) + "|AA==");
        assertArrayEquals(RsaEncString.parse(type3).decrypt(KEY), asType5.decrypt(KEY));
    }

    @Test
    void encryptedToTypes3And4WithTheSpkiKeyAndDecryptedBack() {
        RsaPublicKey publicKey = RsaPublicKey.fromSpki(TestData.b64(VECTORS.get("publicKeySpkiDerB64")));
        byte[] orgKey = SymmetricKey.generate().toBytes();
        for (EncType type : List.of(EncType.RSA2048_OAEP_SHA256_B64, EncType.RSA2048_OAEP_SHA1_B64)) {
            RsaEncString encrypted = RsaEncString.encrypt(orgKey, publicKey, type);
            assertEquals(type, encrypted.type());
            assertEquals(256, encrypted.data().length);
            assertArrayEquals(orgKey, RsaEncString.parse(encrypted.format()).decrypt(KEY));
        }
        assertThrows(IllegalArgumentException.class, () -> RsaEncString.encrypt(orgKey, publicKey,
                EncType.RSA2048_OAEP_SHA1_HMAC_SHA256_B64));
        assertThrows(IllegalArgumentException.class, () -> RsaEncString.encrypt(new byte[191], publicKey,
                EncType.RSA2048_OAEP_SHA256_B64));
    }

    @Test
    void anotherPrivateKeyFails() {
        RsaPrivateKey accountKey = RsaPrivateKey.fromPkcs8(TestData.b64(
                TestData.json("account-encrypted-v1/derived.json").get("accountPrivateKeyPkcs8Der")));
        RsaEncString type4 = RsaEncString.parse(VECTORS.get("cases").get(1).get("encString").asText());
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class,
                () -> type4.decrypt(accountKey, "organizations[acme].key"));
        assertEquals("organizations[acme].key: RSA-OAEP decryption of EncString type 4 failed: wrong private key or "
                + "damaged data", e.getMessage());
    }

    @Test
    void garbageIsNotAKey() {
        assertThrows(CorruptDataException.class, () -> RsaPrivateKey.fromPkcs8(new byte[] {0x30, 0x03, 1, 2, 3}));
        assertThrows(CorruptDataException.class, () -> RsaPublicKey.fromSpki(new byte[] {1, 2, 3}));
    }

    @Test
    void destroyedKeysRefuseUseAndZeroTheirDer() {
        RsaPrivateKey key = RsaPrivateKey.fromPkcs8(TestData.b64(VECTORS.get("privateKeyPkcs8DerB64")));
        key.destroy();
        assertTrue(key.isDestroyed());
        assertEquals("RsaPrivateKey[destroyed]", key.toString());
        RsaEncString type4 = RsaEncString.parse(VECTORS.get("cases").get(1).get("encString").asText());
        assertThrows(IllegalStateException.class, () -> type4.decrypt(key));
        assertThrows(IllegalStateException.class, key::toPkcs8);
    }
}
