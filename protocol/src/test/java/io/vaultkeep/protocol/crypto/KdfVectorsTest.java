package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every vector of kdf-vectors.json (the parameter minimums are in {@link KdfParametersTest}). */
class KdfVectorsTest {

    @TestFactory
    Stream<DynamicTest> everyVector() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode vector : TestData.json("kdf-vectors.json").get("vectors")) {
            String name = vector.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> check(name, vector.get("inputs"), vector.get("expected"))));
        }
        return tests.stream();
    }

    private static void check(String name, JsonNode in, JsonNode expected) {
        if (name.equals("pbkdf2_kdf_key")) {
            byte[] key = Kdf.derive(utf8(in, "password"), utf8(in, "salt"), KdfParameters.pbkdf2(in.get("iterations").asInt()));
            assertArrayEquals(TestData.b64(expected.get("key")), key);
        } else if (name.equals("argon2id_kdf_key")) {
            assertArrayEquals(TestData.b64(in.get("argon2Salt")), Kdf.sha256(utf8(in, "salt")));
            assertEquals(in.get("memoryMiB").asInt() * 1024, in.get("memoryKiB").asInt());
            byte[] key = Kdf.derive(utf8(in, "password"), utf8(in, "salt"), argon2(in));
            assertArrayEquals(TestData.b64(expected.get("key")), key);
        } else if (name.equals("stretch_key_hkdf_expand")) {
            byte[] stretched = Kdf.stretch(TestData.b64(in.get("key"))).toBytes();
            assertArrayEquals(TestData.b64(expected.get("combined64")), stretched);
            assertArrayEquals(TestData.b64(expected.get("encKey")), Arrays.copyOfRange(stretched, 0, 32));
            assertArrayEquals(TestData.b64(expected.get("macKey")), Arrays.copyOfRange(stretched, 32, 64));
        } else if (name.startsWith("master_password_hash_pbkdf2")) {
            assertEquals(in.get("normalizedSalt").asText(), MasterKey.normalizeEmail(in.get("email").asText()));
            MasterKey masterKey = MasterKey.forAccount(chars(in, "password"), in.get("email").asText(),
                    KdfParameters.pbkdf2(in.get("iterations").asInt()));
            assertMasterKeyAndHash(masterKey, in, expected);
        } else if (name.equals("master_password_hash_argon2id")) {
            assertArrayEquals(TestData.b64(in.get("argon2Salt")), Kdf.sha256(utf8(in, "salt")));
            MasterKey masterKey = MasterKey.derive(chars(in, "password"), utf8(in, "salt"), argon2(in));
            assertMasterKeyAndHash(masterKey, in, expected);
        } else if (name.equals("account_encrypted_v1_master_key")) {
            // The same derivation as AccountEncryptedV1Test: derived once per JVM.
            assertEquals(KdfParameters.pbkdf2(in.get("iterations").asInt()), KdfParameters.pbkdf2(600_000));
            MasterKey masterKey = TestData.masterKey(in.get("password").asText(), in.get("email").asText(),
                    KdfParameters.pbkdf2(in.get("iterations").asInt()));
            assertMasterKeyAndHash(masterKey, in, expected);
            byte[] stretched = masterKey.stretch().toBytes();
            assertArrayEquals(TestData.b64(expected.get("stretchedEncKey")), Arrays.copyOfRange(stretched, 0, 32));
            assertArrayEquals(TestData.b64(expected.get("stretchedMacKey")), Arrays.copyOfRange(stretched, 32, 64));
        } else if (name.startsWith("shareable_key")) {
            byte[] secret = utf8(in, "secret");
            assertArrayEquals(TestData.b64(in.get("secretB64")), secret);
            String info = in.get("info").isNull() ? null : in.get("info").asText();
            byte[] key = Kdf.shareableKey(secret, in.get("name").asText(), info).toBytes();
            assertArrayEquals(TestData.b64(expected.get("key64")), key);
            assertArrayEquals(TestData.b64(expected.get("encKey")), Arrays.copyOfRange(key, 0, 32));
            assertArrayEquals(TestData.b64(expected.get("macKey")), Arrays.copyOfRange(key, 32, 64));
        } else {
            fail("no check written for KDF vector '" + name + "'");
        }
    }

    private static void assertMasterKeyAndHash(MasterKey masterKey, JsonNode in, JsonNode expected) {
        assertArrayEquals(TestData.b64(expected.get("masterKey")), masterKey.toBytes());
        assertEquals(expected.get("masterPasswordHash").asText(), masterKey.passwordHash(chars(in, "password")));
    }

    private static KdfParameters argon2(JsonNode in) {
        return KdfParameters.argon2id(in.get("iterations").asInt(), in.get("memoryMiB").asInt(), in.get("parallelism").asInt());
    }

    private static byte[] utf8(JsonNode in, String field) {
        return in.get(field).asText().getBytes(UTF_8);
    }

    private static char[] chars(JsonNode in, String field) {
        return in.get(field).asText().toCharArray();
    }
}
