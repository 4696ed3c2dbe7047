package io.vaultkeep.testserver.bitwarden;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.crypto.AttachmentCipher;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Fills an account's vault on the server side, encrypted as the official clients encrypt: each cipher
 * with its own key wrapped by the user key and every field under that key; attachments with their
 * own key wrapped by the cipher key, their bytes in Bitwarden's attachment format. For large vaults
 * (benchmarks) that the CLI would take minutes to create.
 */
public final class VaultSeeder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final BitwardenTestServer server;
    private final ServerAccount account;

    VaultSeeder(BitwardenTestServer server, ServerAccount account) {
        this.server = server;
        this.account = account;
    }

    /** Adds {@code count} ciphers, cycling through login, note, card, identity and SSH key; returns their ids. */
    public List<String> items(int count, String namePrefix) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = item(i % 5 + 1, namePrefix + " " + i, i);
        }
        return List.of(ids);
    }

    /** Adds one cipher of the given type (1 login, 2 note, 3 card, 4 identity, 5 SSH key); returns its id. */
    public String item(int type, String name, int n) {
        SymmetricKey key = SymmetricKey.generate();
        ObjectNode c = NODES.objectNode();
        c.put("type", type);
        c.putNull("folderId");
        c.putNull("organizationId");
        c.put("name", enc(name, key));
        c.put("notes", enc("notes of " + name, key));
        c.put("favorite", n % 7 == 0);
        c.put("reprompt", 0);
        c.put("key", SymmetricEncString.encrypt(key.toBytes(), account.userKey).format());
        ArrayNode fields = c.putArray("fields");
        ObjectNode field = fields.addObject();
        field.put("name", enc("field " + n, key));
        field.put("value", enc("value " + n, key));
        field.put("type", n % 2);
        field.putNull("linkedId");
        switch (type) {
            case 1 -> {
                ObjectNode login = c.putObject("login");
                ArrayNode uris = login.putArray("uris");
                ObjectNode uri = uris.addObject();
                uri.put("uri", enc("https://site" + n + ".example", key));
                uri.putNull("match");
                login.put("username", enc("user" + n, key));
                login.put("password", enc("password-" + n + "-" + UUID.randomUUID(), key));
                login.putNull("totp");
                login.putNull("passwordRevisionDate");
            }
            case 2 -> c.putObject("secureNote").put("type", 0);
            case 3 -> {
                ObjectNode card = c.putObject("card");
                card.put("cardholderName", enc("Holder " + n, key));
                card.put("brand", enc("Visa", key));
                card.put("number", enc("4111111111111111", key));
                card.put("expMonth", enc("12", key));
                card.put("expYear", enc("2030", key));
                card.put("code", enc("123", key));
            }
            case 4 -> {
                ObjectNode identity = c.putObject("identity");
                identity.put("firstName", enc("First" + n, key));
                identity.put("lastName", enc("Last" + n, key));
                identity.put("email", enc("id" + n + "@example.org", key));
                identity.put("city", enc("Town " + n, key));
            }
            default -> {
                ObjectNode ssh = c.putObject("sshKey");
                ssh.put("privateKey", enc("-----BEGIN OPENSSH PRIVATE KEY-----\nkey" + n + "\n-----END OPENSSH PRIVATE KEY-----", key));
                ssh.put("publicKey", enc("ssh-ed25519 AAAA" + n, key));
                ssh.put("keyFingerprint", enc("SHA256:fp" + n, key));
            }
        }
        String id = UUID.randomUUID().toString();
        server.storeCipher(account, c, id, List.of(), null);
        return id;
    }

    /** Adds an attachment to a cipher made by this seeder (its key is unwrapped with the user key). */
    public String attachment(String cipherId, String fileName, byte[] content) {
        synchronized (account) {
            ObjectNode cipher = account.ciphers.get(cipherId);
            SymmetricKey cipherKey = SymmetricKey.fromBytes(SymmetricEncString.parse(cipher.get("key").asText()).decrypt(account.userKey));
            SymmetricKey attachmentKey = SymmetricKey.generate();
            byte[] encrypted = AttachmentCipher.encrypt(content, attachmentKey);
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            ObjectNode meta = NODES.objectNode();
            meta.put("id", id);
            meta.put("fileName", enc(fileName, cipherKey));
            meta.put("key", SymmetricEncString.encrypt(attachmentKey.toBytes(), cipherKey).format());
            meta.put("size", String.valueOf(encrypted.length));
            meta.put("sizeName", encrypted.length + " Bytes");
            meta.put("object", "attachment");
            cipher.withArray("attachmentsMeta").add(meta);
            account.attachmentData.put(id, encrypted);
            account.changed();
            return id;
        }
    }

    /**
     * Renames a cipher made by this seeder, as a client's edit does: the name encrypted anew under the
     * cipher's key, a new revision date for the cipher and the account.
     */
    public void rename(String cipherId, String newName) {
        synchronized (account) {
            ObjectNode previous = account.ciphers.get(cipherId);
            if (previous == null) {
                throw new IllegalArgumentException("no cipher " + cipherId);
            }
            ObjectNode edited = previous.deepCopy();
            edited.put("name", enc(newName, cipherKey(previous)));
            server.storeCipher(account, edited, cipherId, List.of(), previous);
        }
    }

    /** One live cipher as the server holds it: its name decrypted, and its revision date. */
    public record Held(String name, String revisionDate) {}

    /**
     * The account's live ciphers (not in the trash) by id, names decrypted with the account's keys:
     * what a backup of the vault now must hold. For tests that compare a snapshot with the server.
     */
    public Map<String, Held> held() {
        synchronized (account) {
            Map<String, Held> held = new TreeMap<>();
            account.ciphers.forEach((id, cipher) -> {
                if (cipher.path("deletedDate").isNull() || cipher.path("deletedDate").isMissingNode()) {
                    String name = SymmetricEncString.parse(cipher.get("name").asText()).decryptString(cipherKey(cipher));
                    held.put(id, new Held(name, cipher.path("revisionDate").asText()));
                }
            });
            return held;
        }
    }

    private SymmetricKey cipherKey(ObjectNode cipher) {
        return SymmetricKey.fromBytes(SymmetricEncString.parse(cipher.get("key").asText()).decrypt(account.userKey));
    }

    private static String enc(String value, SymmetricKey key) {
        return SymmetricEncString.encrypt(value, key).format();
    }
}
