package io.vaultkeep.protocol.bitwarden.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.crypto.AttachmentCipher;
import io.vaultkeep.protocol.crypto.EncType;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.RsaEncString;
import io.vaultkeep.protocol.crypto.RsaPublicKey;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import io.vaultkeep.protocol.crypto.VaultCryptoException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sync response built here with the project's crypto, as a server would send it, converted back. */
class SyncExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static final String EMAIL = "Sam@Example.org ";
    private static final KdfParameters KDF = KdfParameters.pbkdf2(5_000);

    private static SymmetricKey userKey;
    private static SymmetricKey orgKey;
    private static ObjectNode sync;
    private static byte[] attachmentBytes = "the attachment".getBytes();

    @BeforeAll
    static void vault() throws Exception {
        userKey = SymmetricKey.generate();
        orgKey = SymmetricKey.generate();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair pair = rsa.generateKeyPair();
        MasterKey master = MasterKey.forAccount(PASSWORD, EMAIL, KDF);
        SymmetricKey itemKey = SymmetricKey.generate();
        SymmetricKey attachmentKey = SymmetricKey.generate();
        sync = (ObjectNode) JSON.readTree("""
                {"object":"sync",
                 "profile":{"id":"u1","email":"sam@example.org","key":"%s","privateKey":"%s",
                            "organizations":[{"id":"o1","name":"Org","key":"%s"}]},
                 "folders":[{"id":"f1","name":"%s","revisionDate":"2026-01-01T00:00:00.123456Z"}],
                 "collections":[{"id":"c1","organizationId":"o1","name":"%s","externalId":null}],
                 "ciphers":[
                   {"id":"i1","type":1,"folderId":"f1","organizationId":null,"key":"%s","name":"%s","notes":null,
                    "favorite":false,"reprompt":0,"edit":true,"object":"cipherDetails","encryptedFor":"u1",
                    "revisionDate":"2026-02-03T04:05:06.7891234Z","creationDate":"2026-02-03T04:05:06.7Z","deletedDate":null,
                    "login":{"username":"%s","password":"%s","uris":[{"uri":"%s","match":null,"uriChecksum":"%s"}],"totp":null,
                             "passwordRevisionDate":null},
                    "fields":[{"name":"%s","value":"%s","type":1,"linkedId":null}],
                    "attachments":[{"id":"a1","fileName":"%s","key":"%s","size":"%d","url":"https://x"}]},
                   {"id":"i2","type":8,"folderId":null,"organizationId":"o1","name":"%s","collectionIds":["c1"],
                    "passport":{"number":"%s","issuingCountry":"%s"},"favorite":true,"reprompt":1,
                    "attachments":[{"id":"a2","fileName":"%s","key":null,"size":"%d"}],
                    "revisionDate":"2026-02-03T04:05:06Z","creationDate":"2026-02-03T04:05:06Z"},
                   {"id":"i3","type":2,"name":"%s","secureNote":{"type":0},"deletedDate":"2026-03-01T00:00:00Z",
                    "revisionDate":"2026-02-03T04:05:06Z","creationDate":"2026-02-03T04:05:06Z"}],
                 "userDecryption":{"masterPasswordUnlock":{"kdf":{"kdfType":0,"iterations":5000,"memory":null,"parallelism":null}}}}
                """.formatted(
                SymmetricEncString.encrypt(userKey.toBytes(), master.stretch()).format(),
                SymmetricEncString.encrypt(pair.getPrivate().getEncoded(), userKey).format(),
                RsaEncString.encrypt(orgKey.toBytes(), RsaPublicKey.fromSpki(pair.getPublic().getEncoded()), EncType.RSA2048_OAEP_SHA1_B64).format(),
                enc("Work", userKey), enc("Ops", orgKey),
                SymmetricEncString.encrypt(itemKey.toBytes(), userKey).format(), enc("Mail", itemKey),
                enc("sam", itemKey), enc("hunter2", itemKey), enc("https://mail.example", itemKey), enc("checksum", itemKey),
                enc("pin", itemKey), enc("1234", itemKey),
                enc("scan.pdf", itemKey), SymmetricEncString.encrypt(attachmentKey.toBytes(), itemKey).format(), 99,
                enc("Passport", orgKey), enc("X123", orgKey), enc("NL", orgKey), enc("legacy.txt", orgKey), 77,
                enc("In the trash", userKey)));
        attachmentBytes = AttachmentCipher.encrypt("the attachment".getBytes(), attachmentKey);
    }

    private static String enc(String value, SymmetricKey key) {
        return SymmetricEncString.encrypt(value, key).format();
    }

    private static UserKeyChain keys() {
        MasterKey master = MasterKey.forAccount(PASSWORD, EMAIL, KDF);
        return UserKeyChain.unlock(master, sync.path("profile").path("key").asText(), sync.path("profile").path("privateKey").asText(),
                Map.of("o1", sync.path("profile").path("organizations").get(0).path("key").asText()));
    }

    @Test
    void theExportIsWhatBwExportWritesWithOrganizationItemsAndUnknownTypesDecryptedAndTheTrashLeftOut() throws Exception {
        SyncExport.Result result = SyncExport.convert(sync, keys());
        JsonNode export = JSON.readTree(result.exportJson());
        assertEquals(2, result.itemCount());
        assertEquals(JSON.readTree("""
                {"encrypted":false,"folders":[{"id":"f1","name":"Work"}],
                 "collections":[{"id":"c1","organizationId":"o1","name":"Ops","externalId":null}],
                 "items":[
                  {"passwordHistory":[],"revisionDate":"2026-02-03T04:05:06.789Z","creationDate":"2026-02-03T04:05:06.700Z",
                   "id":"i1","folderId":"f1","type":1,"reprompt":0,"name":"Mail","favorite":false,
                   "fields":[{"name":"pin","value":"1234","type":1}],
                   "login":{"username":"sam","password":"hunter2","uris":[{"uri":"https://mail.example"}],"fido2Credentials":[]},
                   "collectionIds":null},
                  {"passwordHistory":[],"revisionDate":"2026-02-03T04:05:06.000Z","creationDate":"2026-02-03T04:05:06.000Z",
                   "id":"i2","organizationId":"o1","type":8,"reprompt":1,"name":"Passport","favorite":true,"fields":[],
                   "collectionIds":["c1"],"passport":{"number":"X123","issuingCountry":"NL"}}]}"""), export);
        assertFalse(new String(result.exportJson()).contains("In the trash"));
        assertEquals(2, result.attachments().size());
        SyncExport.AttachmentRef scan = result.attachments().get(0);
        assertEquals("scan.pdf", scan.fileName());
        assertArrayEquals("the attachment".getBytes(), AttachmentCipher.decrypt(attachmentBytes, scan.key(), "a1"));
        assertEquals("legacy.txt", result.attachments().get(1).fileName(), "an attachment without a key is under its item's owner key");
    }

    @Test
    void aSealedVaultHoldsNoPlaintextAndOpensWithTheMasterPasswordToTheSameBytes() {
        byte[] decrypted = SyncExport.convert(sync, keys()).exportJson();
        SealedVault sealed = SealedVault.fromSync(sync);
        byte[] stored = sealed.toBytes();
        assertTrue(SealedVault.isSealed(stored));
        assertFalse(new String(stored).contains("hunter2") || new String(stored).contains("Mail\""), "no plaintext in a sealed vault");
        SealedVault.Opened opened = SealedVault.parse(stored).open(PASSWORD);
        assertArrayEquals(decrypted, opened.exportJson());
        assertEquals("scan.pdf", opened.fileName("a1"));
        assertArrayEquals("the attachment".getBytes(), opened.decryptAttachment("a1", attachmentBytes));
        assertThrows(VaultCryptoException.class, () -> SealedVault.parse(stored).open("wrong".toCharArray()));
        assertFalse(SealedVault.isSealed(decrypted));
    }
}
