package io.vaultkeep.protocol.bitwarden.sealed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.api.SyncExport;
import io.vaultkeep.protocol.crypto.AttachmentCipher;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.KdfType;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import io.vaultkeep.protocol.crypto.VaultCryptoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sealed-mode snapshot's vault: the account's vault as the server keeps it (every secret an
 * EncString, as {@code /api/sync} returns it) with the key material that unlocks it — the email (the
 * KDF salt), the KDF parameters, the protected user key, the wrapped private key and the wrapped
 * organization keys. No key is stored that the master password does not protect, so the host never
 * needs the master password; {@link #open} needs it, and gives the very export decrypt mode writes.
 * Attachments of a sealed snapshot are stored as their encrypted bytes; {@link Opened#decryptAttachment}
 * turns them into the file.
 *
 * <p>The key material is that of the snapshot's time: after a key rotation or a master password
 * change, older sealed snapshots open with the master password of their time.
 *
 * <pre>
 * {"vaultkeepSealed": 1, "encrypted": true,
 *  "account": {"id", "email", "kdf": {"type", "iterations", "memory", "parallelism"},
 *              "key", "privateKey", "organizations": [{"id", "name", "key"}]},
 *  "folders": [...], "collections": [...], "ciphers": [...]}     (as /api/sync has them)
 * </pre>
 */
public final class SealedVault {

    public static final String MARKER = "vaultkeepSealed";
    private static final byte[] MARKER_BYTES = MARKER.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /**
     * Built on first need, not with the class: every restore asks whether its vault is sealed, and a plain one is
     * answered from its bytes and tokens alone, without databind (~10 ms of a one-shot command on C1).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Tokens only, with the defaults the mapper's own factory has. */
    private static final JsonFactory TOKENS = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode document;

    private SealedVault(ObjectNode document) {
        this.document = document;
    }

    /** Seals a sync response: keeps the encrypted vault and the protected key material, nothing else. */
    public static SealedVault fromSync(JsonNode sync) {
        JsonNode profile = sync.path("profile");
        ObjectNode doc = NODES.objectNode();
        doc.put(MARKER, 1);
        doc.put("encrypted", true);
        ObjectNode account = doc.putObject("account");
        account.put("id", profile.path("id").asText());
        account.put("email", profile.path("email").asText());
        JsonNode kdf = kdfOf(sync);
        account.set("kdf", kdf);
        account.put("key", profile.path("key").asText());
        account.set("privateKey", profile.get("privateKey"));
        ArrayNode orgs = account.putArray("organizations");
        for (JsonNode org : profile.path("organizations")) {
            ObjectNode o = orgs.addObject();
            o.put("id", org.path("id").asText());
            o.set("name", org.get("name"));
            o.put("key", org.path("key").asText());
        }
        doc.set("folders", sync.path("folders").deepCopy());
        doc.set("collections", sync.path("collections").deepCopy());
        doc.set("ciphers", sync.path("ciphers").deepCopy());
        return new SealedVault(doc);
    }

    /** The KDF from the sync's userDecryption (newer servers) or the profile's fields. */
    private static JsonNode kdfOf(JsonNode sync) {
        JsonNode kdf = sync.path("userDecryption").path("masterPasswordUnlock").path("kdf");
        ObjectNode out = NODES.objectNode();
        if (kdf.isObject()) {
            out.put("type", kdf.path("kdfType").asInt());
            out.put("iterations", kdf.path("iterations").asInt());
            out.set("memory", kdf.get("memory"));
            out.set("parallelism", kdf.get("parallelism"));
            return out;
        }
        throw new IllegalArgumentException("the sync response names no KDF (userDecryption.masterPasswordUnlock.kdf)");
    }

    /** Uses KDF parameters known from prelogin when the sync does not carry them. */
    public static SealedVault fromSync(JsonNode sync, KdfParameters kdf) {
        ObjectNode copy = sync.deepCopy();
        if (!copy.path("userDecryption").path("masterPasswordUnlock").path("kdf").isObject()) {
            ObjectNode k = copy.with("userDecryption").with("masterPasswordUnlock").putObject("kdf");
            k.put("kdfType", kdf.type() == KdfType.ARGON2ID ? 1 : 0);
            k.put("iterations", kdf.iterations());
            k.put("memory", kdf.memoryMiB());
            k.put("parallelism", kdf.parallelism());
        }
        return fromSync(copy);
    }

    /**
     * Whether the stored vault is a sealed one: a JSON object with the {@link #MARKER} key. A plain
     * vault (every restore's question) is answered from its top-level keys, token by token, without
     * parsing its tree; only a document that has the marker is parsed whole, by the rule below.
     */
    public static boolean isSealed(byte[] vaultJson) {
        if (vaultJson == null || certainlyWithout(vaultJson, MARKER_BYTES) || !hasTopLevelKey(vaultJson, MARKER)) {
            // no marker, or not well-formed JSON: not sealed either way
            return false;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(vaultJson);
            return node != null && node.has(MARKER);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code json} certainly holds no key {@code key} (an ASCII name), by its bytes alone: UTF-8
     * (as the parser detects it: no zero among the first four bytes, no UTF-16 byte order mark), and
     * neither the name's bytes, nor a backslash-u escape, nor an overlong UTF-8 sequence (which the
     * parser would decode to ASCII) anywhere. A byte loop is a fifth of a cold token pass on C1.
     */
    static boolean certainlyWithout(byte[] json, byte[] key) {
        if (json.length < 4 || json[0] == 0 || json[1] == 0 || json[2] == 0 || json[3] == 0
                || (json[0] & 0xFF) == 0xFE || (json[0] & 0xFF) == 0xFF) {
            return false;
        }
        int last = json.length - 1;
        byte first = key[0];
        for (int i = 0; i <= last; i++) {
            byte b = json[i];
            if (b == '\\') {
                if (i < last && json[i + 1] == 'u') {
                    return false;
                }
            } else if (b == first) {
                if (json.length - i >= key.length && java.util.Arrays.equals(json, i, i + key.length, key, 0, key.length)) {
                    return false;
                }
            } else if ((b & 0xFF) >= 0xC0) {
                int lead = b & 0xFF;
                int next = i < last ? json[i + 1] & 0xFF : 0xFF;
                if (lead == 0xC0 || lead == 0xC1 || lead == 0xE0 && next < 0xA0 || lead == 0xF0 && next < 0x90) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the first JSON value in {@code json} is an object with {@code key} among its own keys; false if unreadable. */
    static boolean hasTopLevelKey(byte[] json, String key) {
        try (JsonParser p = TOKENS.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                if (key.equals(p.currentName())) {
                    return true;
                }
                p.nextToken();
                p.skipChildren();
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static SealedVault parse(byte[] bytes) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (!(node instanceof ObjectNode doc) || doc.path(MARKER).asInt() != 1) {
                throw new IllegalArgumentException("not a sealed vault of version 1");
            }
            return new SealedVault(doc);
        } catch (IOException e) {
            throw new IllegalArgumentException("the sealed vault is not valid JSON: " + e.getClass().getSimpleName());
        }
    }

    public byte[] toBytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int itemCount() {
        int live = 0;
        for (JsonNode c : document.path("ciphers")) {
            if (!c.hasNonNull("deletedDate")) {
                live++;
            }
        }
        return live;
    }

    public String email() {
        return document.path("account").path("email").asText();
    }

    public KdfParameters kdf() {
        JsonNode kdf = document.path("account").path("kdf");
        return kdf.path("type").asInt() == 1
                ? new KdfParameters(KdfType.ARGON2ID, kdf.path("iterations").asInt(), kdf.path("memory").asInt(), kdf.path("parallelism").asInt())
                : new KdfParameters(KdfType.PBKDF2_SHA256, kdf.path("iterations").asInt(), 0, 0);
    }

    /**
     * Unlocks with the master password (the KDF parameters are checked against the limits before any
     * work). @throws VaultCryptoException when the password is wrong (the user key's MAC fails)
     */
    public Opened open(char[] masterPassword) {
        KdfParameters kdf = kdf(); // validates
        MasterKey masterKey = MasterKey.forAccount(masterPassword, email(), kdf);
        JsonNode account = document.path("account");
        Map<String, String> orgKeys = new LinkedHashMap<>();
        account.path("organizations").forEach(o -> orgKeys.put(o.path("id").asText(), o.path("key").asText()));
        UserKeyChain keys;
        try {
            keys = UserKeyChain.unlock(masterKey, account.path("key").asText(),
                    account.hasNonNull("privateKey") ? account.get("privateKey").asText() : null, orgKeys);
        } finally {
            masterKey.destroy();
        }
        try {
            SyncExport.Result result = SyncExport.convert(document, keys);
            return new Opened(result);
        } finally {
            keys.destroy();
        }
    }

    /** The plaintext export, and the means to decrypt the stored attachments. */
    public static final class Opened {
        private final SyncExport.Result result;
        private final Map<String, SyncExport.AttachmentRef> attachments = new LinkedHashMap<>();

        Opened(SyncExport.Result result) {
            this.result = result;
            result.attachments().forEach(a -> attachments.put(a.attachmentId(), a));
        }

        public byte[] exportJson() {
            return result.exportJson();
        }

        /** The attachment's real file name (a sealed snapshot's manifest names it by id only). */
        public String fileName(String attachmentId) {
            SyncExport.AttachmentRef ref = attachments.get(attachmentId);
            if (ref == null) {
                throw new IllegalArgumentException("the sealed vault has no attachment " + attachmentId);
            }
            return ref.fileName();
        }

        /** The attachment's file from its stored (encrypted) bytes. */
        public byte[] decryptAttachment(String attachmentId, byte[] encrypted) {
            SyncExport.AttachmentRef ref = attachments.get(attachmentId);
            if (ref == null) {
                throw new IllegalArgumentException("the sealed vault has no attachment " + attachmentId);
            }
            return AttachmentCipher.decrypt(encrypted, ref.key(), "attachment " + attachmentId);
        }
    }
}
