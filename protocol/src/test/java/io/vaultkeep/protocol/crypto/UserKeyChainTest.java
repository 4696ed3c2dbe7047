package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserKeyChainTest {

    private static final JsonNode ACCOUNT = TestData.json("account-encrypted-v1/account.json");
    private static final JsonNode DERIVED = TestData.json("account-encrypted-v1/derived.json");
    private static final JsonNode ENC_STRINGS = TestData.json("encstring-vectors.json");

    private static String wrappedUserKey() {
        return ACCOUNT.get("method").get("masterPasswordUnlock").get("master_password_unlock").get("masterKeyWrappedUserKey").asText();
    }

    private static String wrappedPrivateKey() {
        return ACCOUNT.get("accountCryptographicState").get("V1").get("private_key").asText();
    }

    /** Both legacy vectors: a type-0 user key opens under the raw, unstretched master key. */
    @Test
    void legacyType0UserKeysUnwrapUnderTheRawMasterKey() {
        int legacyCases = 0;
        for (JsonNode c : ENC_STRINGS.get("decrypt")) {
            if (c.get("type").asInt() == 0 && c.has("plaintextParts")) {
                MasterKey masterKey = MasterKey.fromBytes(TestData.b64(c.get("keyB64")));
                SymmetricKey userKey = UserKeyChain.unwrapUserKey(c.get("encString").asText(), masterKey);
                assertTrue(userKey.hasMac());
                assertArrayEquals(TestData.b64(c.get("plaintextB64")), userKey.toBytes(), c.get("name").asText());
                legacyCases++;
            }
        }
        assertEquals(2, legacyCases);
    }

    @Test
    void aWrongMasterKeyIsAWrongKeyForBothForms() {
        MasterKey wrong = MasterKey.fromBytes(new byte[32]);
        WrongKeyException type2 = assertThrows(WrongKeyException.class, () -> UserKeyChain.unwrapUserKey(wrappedUserKey(), wrong));
        assertEquals("user key: the master key does not open the user key: wrong master password, email or KDF settings",
                type2.getMessage());
        String legacy = ENC_STRINGS.get("decrypt").get(10).get("encString").asText();
        assertThrows(WrongKeyException.class, () -> UserKeyChain.unwrapUserKey(legacy, wrong));
    }

    @Test
    void unlockWithOrganizationsAndResolveOwnerKeys() {
        RsaPublicKey accountPublicKey = RsaPublicKey.fromSpki(TestData.b64(DERIVED.get("accountPublicKeySpkiDer")));
        SymmetricKey acme = SymmetricKey.generate();
        SymmetricKey globex = SymmetricKey.generate();
        Map<String, String> orgKeys = Map.of(
                "acme", RsaEncString.encrypt(acme.toBytes(), accountPublicKey, EncType.RSA2048_OAEP_SHA1_B64).format(),
                "globex", RsaEncString.encrypt(globex.toBytes(), accountPublicKey, EncType.RSA2048_OAEP_SHA256_B64).format());

        UserKeyChain chain = UserKeyChain.unlock(TestData.accountMasterKey(), wrappedUserKey(), wrappedPrivateKey(), orgKeys);

        assertArrayEquals(TestData.b64(DERIVED.get("userKey")), chain.userKey().toBytes());
        assertArrayEquals(TestData.b64(DERIVED.get("accountPrivateKeyPkcs8Der")), chain.privateKey().orElseThrow().toPkcs8());
        assertEquals(Set.of("acme", "globex"), chain.organizationIds());
        assertSame(chain.userKey(), chain.ownerKey(null));
        assertArrayEquals(acme.toBytes(), chain.ownerKey("acme").toBytes());
        assertArrayEquals(globex.toBytes(), chain.ownerKey("globex").toBytes());
        assertThrows(NoSuchElementException.class, () -> chain.ownerKey("initech"));
        assertEquals("UserKeyChain[user key, private key, 2 organization key(s)]", chain.toString());

        // An organization item with its own key, and an attachment key under that cipher key.
        SymmetricKey cipherKey = SymmetricKey.generate();
        String protectedCipherKey = SymmetricEncString.encrypt(cipherKey.toBytes(), chain.ownerKey("acme")).format();
        SymmetricKey unwrapped = UserKeyChain.unwrapCipherKey(protectedCipherKey, chain.ownerKey("acme"), "items[0].key");
        assertArrayEquals(cipherKey.toBytes(), unwrapped.toBytes());
        SymmetricKey attachmentKey = SymmetricKey.generate();
        String protectedAttachmentKey = SymmetricEncString.encrypt(attachmentKey.toBytes(), unwrapped).format();
        assertArrayEquals(attachmentKey.toBytes(),
                UserKeyChain.unwrapAttachmentKey(protectedAttachmentKey, unwrapped, "items[0].attachments[0].key").toBytes());
        // The cipher key belongs to acme: the user key does not open it.
        assertThrows(MacMismatchException.class, () -> UserKeyChain.unwrapCipherKey(protectedCipherKey, chain.userKey(), "items[0].key"));

        chain.destroy();
        assertTrue(chain.isDestroyed());
        assertTrue(chain.privateKey().orElseThrow().isDestroyed());
        assertThrows(IllegalStateException.class, () -> chain.ownerKey("acme").toBytes());
    }

    @Test
    void anOrganizationKeyForAnotherAccountNamesTheOrganization() {
        RsaPublicKey stranger = RsaPrivateKey.fromPkcs8(TestData.b64(TestData.json("rsa-vectors.json")
                .get("privateKeyPkcs8DerB64"))).publicKey();
        String foreign = RsaEncString.encrypt(new byte[64], stranger, EncType.RSA2048_OAEP_SHA1_B64).format();
        SymmetricKey userKey = SymmetricKey.fromBytes(TestData.b64(DERIVED.get("userKey")));
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class,
                () -> UserKeyChain.fromUserKey(userKey, wrappedPrivateKey(), Map.of("acme", foreign)));
        assertEquals("organizations[acme].key", e.field().orElseThrow());
    }

    @Test
    void keysOfTheWrongLengthAreCorruptData() {
        SymmetricKey owner = SymmetricKey.generate();
        String shortKey = SymmetricEncString.encrypt(new byte[48], owner).format();
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> UserKeyChain.unwrapCipherKey(shortKey, owner, "items[2].key"));
        assertEquals("items[2].key: the decrypted key has 48 bytes, expected 64", e.getMessage());
        SymmetricKey userKey = SymmetricKey.generate();
        String notADer = SymmetricEncString.encrypt(new byte[100], userKey).format();
        assertThrows(CorruptDataException.class, () -> UserKeyChain.unwrapPrivateKey(notADer, userKey));
    }

    @Test
    void organizationKeysNeedAPrivateKey() {
        assertThrows(IllegalArgumentException.class,
                () -> UserKeyChain.fromUserKey(SymmetricKey.generate(), null, Map.of("acme", "4.AAAA")));
        UserKeyChain chain = UserKeyChain.fromUserKey(SymmetricKey.generate(), null, Map.of());
        assertFalse(chain.privateKey().isPresent());
    }

    @Test
    void validationValuesCreatedHereOpenOnlyUnderTheirKey() {
        SymmetricKey key = SymmetricKey.generate();
        String validation = EncKeyValidation.create(key);
        assertTrue(EncKeyValidation.opens(validation, key));
        assertFalse(EncKeyValidation.opens(validation, SymmetricKey.generate()));
        assertThrows(UnsupportedEncStringException.class, () -> EncKeyValidation.opens("7.AAAA", key));
        assertThrows(InvalidEncStringException.class, () -> EncKeyValidation.opens("nonsense", key));
    }
}
