package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole key chain of account-encrypted-v1: account.json + export.json must give every value of
 * derived.json, and the item fields must decrypt to expected.json.
 */
class AccountEncryptedV1Test {

    private static final JsonNode ACCOUNT = TestData.json("account-encrypted-v1/account.json");
    private static final JsonNode EXPORT = TestData.json("account-encrypted-v1/export.json");
    private static final JsonNode DERIVED = TestData.json("account-encrypted-v1/derived.json");
    private static final JsonNode EXPECTED = TestData.json("account-encrypted-v1/expected.json");

    private static MasterKey masterKey;
    private static SymmetricKey userKey;

    @BeforeAll
    static void unlock() {
        JsonNode unlock = ACCOUNT.get("method").get("masterPasswordUnlock");
        JsonNode inputs = DERIVED.get("inputs");
        assertEquals(inputs.get("password").asText(), unlock.get("password").asText());
        assertEquals(inputs.get("email").asText(), ACCOUNT.get("email").asText());
        assertEquals(MasterKey.normalizeEmail(ACCOUNT.get("email").asText()), unlock.get("master_password_unlock").get("salt").asText());
        KdfParameters kdf = KdfParameters.pbkdf2(ACCOUNT.get("kdfParams").get("pBKDF2").get("iterations").asInt());
        assertEquals(KdfParameters.pbkdf2(inputs.get("iterations").asInt()), kdf);
        masterKey = TestData.masterKey(unlock.get("password").asText(), ACCOUNT.get("email").asText(), kdf);
        userKey = UserKeyChain.unwrapUserKey(unlock.get("master_password_unlock").get("masterKeyWrappedUserKey").asText(), masterKey);
    }

    @Test
    void masterKeyHashAndStretchedKey() {
        assertArrayEquals(b64("masterKey"), masterKey.toBytes());
        assertEquals(DERIVED.get("masterPasswordHash").asText(), masterKey.passwordHash("asdfasdfasdf".toCharArray()));
        JsonNode stretched = DERIVED.get("stretchedMasterKey");
        byte[] bytes = masterKey.stretch().toBytes();
        assertArrayEquals(TestData.b64(stretched.get("combined64")), bytes);
        assertArrayEquals(TestData.b64(stretched.get("encKey")), Arrays.copyOf(bytes, 32));
        assertArrayEquals(TestData.b64(stretched.get("macKey")), Arrays.copyOfRange(bytes, 32, 64));
    }

    @Test
    void userKey() {
        assertArrayEquals(b64("userKey"), userKey.toBytes());
        assertArrayEquals(TestData.b64(DERIVED.get("userKeyParts").get("encKey")), Arrays.copyOf(userKey.toBytes(), 32));
        assertArrayEquals(TestData.b64(DERIVED.get("userKeyParts").get("macKey")), Arrays.copyOfRange(userKey.toBytes(), 32, 64));
    }

    @Test
    void accountRsaKey() {
        String protectedPrivateKey = ACCOUNT.get("accountCryptographicState").get("V1").get("private_key").asText();
        RsaPrivateKey privateKey = UserKeyChain.unwrapPrivateKey(protectedPrivateKey, userKey);
        assertArrayEquals(b64("accountPrivateKeyPkcs8Der"), privateKey.toPkcs8());
        assertArrayEquals(b64("accountPublicKeySpkiDer"), privateKey.publicKey().toSpki());
        assertEquals(2048, privateKey.bits());
    }

    @Test
    void encKeyValidationAndFolderName() {
        String validation = EXPORT.get("encKeyValidation_DO_NOT_EDIT").asText();
        EncKeyValidation.requireOpens(validation, userKey);
        assertEquals(DERIVED.get("encKeyValidationPlaintext").asText(), SymmetricEncString.parse(validation).decryptString(userKey));
        String folderName = SymmetricEncString.parse(EXPORT.get("folders").get(0).get("name").asText())
                .decryptString(userKey, "folders[0].name");
        assertEquals(DERIVED.get("folderNamePlaintext").asText(), folderName);
        assertEquals(EXPECTED.get("folders").get(0).get("name").asText(), folderName);
    }

    @Test
    void everyItemKey() {
        Set<String> seen = new HashSet<>();
        JsonNode items = EXPORT.get("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String id = item.get("id").asText();
            SymmetricKey itemKey = UserKeyChain.unwrapCipherKey(item.get("key").asText(), userKey, "items[" + i + "].key");
            assertArrayEquals(TestData.b64(DERIVED.get("cipherKeys").get(id)), itemKey.toBytes(), id);
            seen.add(id);
        }
        Set<String> expectedIds = new HashSet<>();
        DERIVED.get("cipherKeys").fieldNames().forEachRemaining(expectedIds::add);
        assertEquals(expectedIds, seen);
    }

    @Test
    void uriChecksums() {
        JsonNode login = item("25c8c414-b446-48e9-a1bd-b10700bbd740");
        SymmetricKey itemKey = itemKey(login);
        JsonNode uris = login.get("login").get("uris");
        JsonNode expected = DERIVED.get("uriChecksums");
        assertEquals(expected.size(), uris.size());
        for (int i = 0; i < uris.size(); i++) {
            String uri = decrypt(uris.get(i).get("uri"), itemKey);
            String checksum = decrypt(uris.get(i).get("uriChecksum"), itemKey);
            assertEquals(expected.get(i).get("uri").asText(), uri);
            assertEquals(expected.get(i).get("uriChecksumPlaintext").asText(), checksum);
            assertEquals(Base64.getEncoder().encodeToString(Kdf.sha256(uri.getBytes(UTF_8))), checksum);
        }
    }

    /** A few fields by name, as a reader would check them. */
    @Test
    void namedFieldsOfTheExport() {
        JsonNode login = item("25c8c414-b446-48e9-a1bd-b10700bbd740");
        SymmetricKey loginKey = itemKey(login);
        assertEquals("Bitwarden", decrypt(login.get("name"), loginKey));
        assertEquals("test@bitwarden.com", decrypt(login.get("login").get("username"), loginKey));
        assertEquals("asdfasdfasdf", decrypt(login.get("login").get("password"), loginKey));
        assertEquals("https://vault.bitwarden.com", decrypt(login.get("login").get("uris").get(0).get("uri"), loginKey));
        assertEquals("otpauth://totp/test?secret=JBSWY3DPEHPK3PXP", decrypt(login.get("login").get("totp"), loginKey));

        JsonNode card = item("3ed8de45-48ee-4e26-a2dc-b10701276c53");
        assertEquals("4111111111111111", decrypt(card.get("card").get("number"), itemKey(card)));

        JsonNode ssh = item("646594a9-a9cb-4082-9d57-0024c3fbcaa9");
        String privateKey = decrypt(ssh.get("sshKey").get("privateKey"), itemKey(ssh));
        assertTrue(privateKey.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n"));
        assertEquals(cipher("646594a9-a9cb-4082-9d57-0024c3fbcaa9").get("sshKey").get("privateKey").asText(), privateKey);
    }

    /**
     * Every EncString of every item, compared with the value at the same path in expected.json. The item
     * key itself and uriChecksum are left out: expected.json has them null (see derived.json).
     */
    @Test
    void everyEncryptedItemFieldMatchesExpected() {
        List<String> checked = new ArrayList<>();
        JsonNode items = EXPORT.get("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            JsonNode expected = cipher(item.get("id").asText());
            compare(item, expected, itemKey(item), "items[" + i + "]", checked);
        }
        assertEquals(70, checked.size(), "every EncString field of the 8 items: " + checked);
        assertTrue(checked.contains("items[0].login.fido2Credentials[0].keyValue"), checked.toString());
        assertTrue(checked.contains("items[0].passwordHistory[0].password"), checked.toString());
        assertTrue(checked.contains("items[7].passport.passportNumber"), checked.toString());
    }

    @Test
    void aWrongKeyIsToldApartFromDamagedData() {
        String validation = EXPORT.get("encKeyValidation_DO_NOT_EDIT").asText();
        SymmetricKey otherKey = SymmetricKey.generate();
        assertTrue(!EncKeyValidation.opens(validation, otherKey));
        WrongKeyException wrong = assertThrows(WrongKeyException.class, () -> EncKeyValidation.requireOpens(validation, otherKey));
        assertEquals("encKeyValidation_DO_NOT_EDIT", wrong.field().orElseThrow());

        // Right key (validation opens), damaged field: a MAC mismatch naming the field.
        String name = EXPORT.get("folders").get(0).get("name").asText();
        String damaged = name.substring(0, name.length() - 6) + (name.charAt(name.length() - 6) == 'A' ? 'B' : 'A') + name.substring(name.length() - 5);
        MacMismatchException e = assertThrows(MacMismatchException.class,
                () -> SymmetricEncString.parse(damaged).decrypt(userKey, "folders[0].name"));
        assertEquals("folders[0].name", e.field().orElseThrow());

        String wrappedUserKey = ACCOUNT.get("method").get("masterPasswordUnlock").get("master_password_unlock")
                .get("masterKeyWrappedUserKey").asText();
        assertThrows(WrongKeyException.class, () -> UserKeyChain.unwrapUserKey(wrappedUserKey, MasterKey.fromBytes(new byte[32])));
    }

    private static void compare(JsonNode export, JsonNode expected, SymmetricKey key, String path, List<String> checked) {
        if (export.isObject()) {
            export.fieldNames().forEachRemaining(name -> {
                if (!name.equals("key") && !name.equals("uriChecksum")) {
                    compare(export.get(name), expected.path(name), key, path + "." + name, checked);
                }
            });
        } else if (export.isArray()) {
            for (int i = 0; i < export.size(); i++) {
                compare(export.get(i), expected.path(i), key, path + "[" + i + "]", checked);
            }
        } else if (export.isTextual() && export.asText().startsWith("2.")) {
            if (!expected.isTextual()) {
                fail(path + ": expected.json has no text here");
            }
            assertEquals(expected.asText(), SymmetricEncString.parse(export.asText(), path).decryptString(key, path), path);
            checked.add(path);
        }
    }

    private static JsonNode item(String id) {
        for (JsonNode item : EXPORT.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no item " + id + " in export.json");
    }

    private static JsonNode cipher(String id) {
        for (JsonNode cipher : EXPECTED.get("ciphers")) {
            if (cipher.get("id").asText().equals(id)) {
                return cipher;
            }
        }
        throw new AssertionError("no cipher " + id + " in expected.json");
    }

    private static SymmetricKey itemKey(JsonNode item) {
        return UserKeyChain.unwrapCipherKey(item.get("key").asText(), userKey, item.get("id").asText() + ".key");
    }

    private static String decrypt(JsonNode value, SymmetricKey key) {
        return SymmetricEncString.parse(value.asText()).decryptString(key);
    }

    private static byte[] b64(String derivedField) {
        return TestData.b64(DERIVED.get(derivedField));
    }

}
