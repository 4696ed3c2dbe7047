package io.vaultkeep.protocol.bitwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one conversion from what {@code GET /api/sync} returns (encrypted) to the plaintext json
 * export {@code bw export --format json} writes, under an unlocked key chain. Decrypt mode runs it at
 * backup time; sealed mode at restore time, on the same sync data, so both give the same bytes.
 *
 * <p>Shape: {@code {"encrypted": false, "folders": [...], "items": [...]}} as the CLI writes it,
 * null-valued keys left out, items in the trash left out (as {@code bw export} does). Organization
 * items are kept with their {@code organizationId} and {@code collectionIds}, and the collections the
 * account sees are listed under {@code "collections"} (as {@code bw export --organizationid} lists an
 * organization's), so one file holds the whole vault. Every string of an item that is an
 * EncString is decrypted wherever it sits, so fields and item types this code does not know (bank
 * accounts, passports, new login fields) come through decrypted and intact.
 */
public final class SyncExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern ENC_STRING = Pattern.compile("^[0-6]\\.[A-Za-z0-9+/=]+(\\|[A-Za-z0-9+/=]+){1,2}$");
    /** The CLI's order of an exported item's keys; others follow in the server's order. */
    private static final List<String> ITEM_ORDER = List.of("passwordHistory", "revisionDate", "creationDate", "deletedDate",
            "archivedDate", "id", "organizationId", "folderId", "type", "reprompt", "name", "notes", "favorite", "fields",
            "login", "secureNote", "card", "identity", "sshKey", "collectionIds");
    /** What the server adds to a cipher that an export does not carry. */
    private static final Set<String> SERVER_ONLY = Set.of("object", "edit", "viewPassword", "permissions",
            "organizationUseTotp", "attachments", "key", "data", "localData", "encryptedFor", "encryptedByKeyId",
            "lastKnownRevisionDate");
    /** Timestamps, written as the CLI writes them (JavaScript's toISOString: milliseconds, Z). */
    private static final Set<String> DATES = Set.of("revisionDate", "creationDate", "deletedDate", "archivedDate", "lastUsedDate");

    private SyncExport() {}

    /** One attachment of a live item, with its key unwrapped and name decrypted. */
    public record AttachmentRef(String cipherId, String attachmentId, String fileName, Long size, SymmetricKey key) {}

    /** The export, and the attachments of the items it holds. */
    public record Result(byte[] exportJson, int itemCount, List<AttachmentRef> attachments) {}

    public static Result convert(JsonNode sync, UserKeyChain keys) {
        ObjectNode export = NODES.objectNode();
        export.put("encrypted", false);
        ArrayNode folders = export.putArray("folders");
        for (JsonNode folder : sync.path("folders")) {
            ObjectNode f = folders.addObject();
            f.put("id", folder.path("id").asText());
            f.put("name", decrypt(folder.get("name"), keys.userKey(), "folders[" + folder.path("id").asText() + "].name"));
        }
        ArrayNode items = NODES.arrayNode();
        List<AttachmentRef> attachments = new ArrayList<>();
        for (JsonNode cipher : sync.path("ciphers")) {
            if (cipher.hasNonNull("deletedDate")) {
                continue; // in the trash: not exported
            }
            String id = cipher.path("id").asText();
            String orgId = text(cipher, "organizationId");
            SymmetricKey key = itemKey(cipher, keys, orgId);
            items.add(item((ObjectNode) cipher, key, orgId, id));
            for (JsonNode a : cipher.path("attachments")) {
                String aid = a.path("id").asText();
                String field = "ciphers[" + id + "].attachments[" + aid + "]";
                SymmetricKey attachmentKey = a.hasNonNull("key")
                        ? UserKeyChain.unwrapAttachmentKey(a.get("key").asText(), key, field + ".key")
                        : SymmetricKey.fromBytes(key.toBytes()); // legacy: under the item's key (a copy: the chain's keys are wiped)
                Long size = a.hasNonNull("size") ? Long.valueOf(a.get("size").asText()) : null;
                attachments.add(new AttachmentRef(id, aid, decrypt(a.get("fileName"), key, field + ".fileName"), size, attachmentKey));
            }
        }
        if (sync.path("collections").size() > 0) {
            ArrayNode collections = export.putArray("collections");
            for (JsonNode c : sync.path("collections")) {
                String cid = c.path("id").asText();
                String orgId = c.path("organizationId").asText();
                ObjectNode out = collections.addObject();
                out.put("id", cid);
                out.put("organizationId", orgId);
                out.put("name", decrypt(c.get("name"), keys.ownerKey(orgId), "collections[" + cid + "].name"));
                out.set("externalId", c.hasNonNull("externalId") ? c.get("externalId") : NODES.nullNode());
            }
        }
        export.set("items", items);
        try {
            return new Result(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(export), items.size(), List.copyOf(attachments));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The item's own key (unwrapped) when it has one, else its owner's key. */
    private static SymmetricKey itemKey(JsonNode cipher, UserKeyChain keys, String orgId) {
        SymmetricKey owner = keys.ownerKey(orgId);
        String wrapped = text(cipher, "key");
        return wrapped == null ? owner
                : UserKeyChain.unwrapCipherKey(wrapped, owner, "ciphers[" + cipher.path("id").asText() + "].key");
    }

    private static ObjectNode item(ObjectNode cipher, SymmetricKey key, String orgId, String id) {
        ObjectNode item = NODES.objectNode();
        for (String name : ITEM_ORDER) {
            put(item, name, cipher.get(name), key, id);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cipher.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ITEM_ORDER.contains(e.getKey()) && !SERVER_ONLY.contains(e.getKey())) {
                put(item, e.getKey(), e.getValue(), key, id);
            }
        }
        if (orgId == null) {
            item.putNull("collectionIds"); // the CLI writes this one null, where it leaves out other nulls
        } else if (!item.has("collectionIds")) {
            item.putArray("collectionIds");
        }
        if (!item.has("fields")) {
            item.putArray("fields");
        }
        // what clients derive or the server keeps, which bw export does not write
        if (item.get("login") instanceof ObjectNode login) {
            login.remove("passwordRevisionDate");
            login.remove("autofillOnPageLoad");
            login.path("uris").forEach(uri -> ((ObjectNode) uri).remove("uriChecksum"));
        }
        if (item.get("login") instanceof ObjectNode login && !login.has("fido2Credentials")) {
            login.putArray("fido2Credentials");
        }
        if (!item.has("passwordHistory")) {
            item.putArray("passwordHistory"); // the CLI writes an empty history, not none
        }
        return reorder(item);
    }

    /** The CLI's key order for known keys; unknown ones after them, in the server's order. */
    private static ObjectNode reorder(ObjectNode item) {
        ObjectNode out = NODES.objectNode();
        for (String name : ITEM_ORDER) {
            if (item.has(name)) {
                out.set(name, item.get(name));
            }
        }
        item.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static void put(ObjectNode item, String name, JsonNode value, SymmetricKey key, String id) {
        JsonNode plain = decryptAll(value, key, "ciphers[" + id + "]." + name);
        if (plain != null && !plain.isNull()) {
            item.set(name, plain);
        }
    }

    /** A copy with every EncString decrypted and null-valued keys left out. */
    private static JsonNode decryptAll(JsonNode value, SymmetricKey key, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            String text = value.asText();
            if (ENC_STRING.matcher(text).matches()) {
                return NODES.textNode(decrypt(value, key, field));
            }
            String name = field.substring(field.lastIndexOf('.') + 1);
            return DATES.contains(name) ? NODES.textNode(isoMillis(text)) : value;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            int i = 0;
            for (JsonNode element : value) {
                JsonNode plain = decryptAll(element, key, field + "[" + i++ + "]");
                out.add(plain == null ? NODES.nullNode() : plain);
            }
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode plain = decryptAll(e.getValue(), key, field + "." + e.getKey());
                if (plain != null && !plain.isNull()) {
                    out.set(e.getKey(), plain);
                }
            }
            return out;
        }
        return value;
    }

    /** {@code 2026-11-22T12:46:32.480142Z} → {@code 2026-11-22T12:46:32.480Z}; anything unparsable as is. */
    static String isoMillis(String date) {
        try {
            java.time.Instant instant = java.time.OffsetDateTime.parse(date).toInstant();
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(instant);
        } catch (java.time.format.DateTimeParseException e) {
            return date;
        }
    }

    private static String decrypt(JsonNode value, SymmetricKey key, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        return SymmetricEncString.parse(value.asText(), field).decryptString(key, field);
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
