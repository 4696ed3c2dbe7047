package io.vaultkeep.protocol.bitwarden.encrypted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vaultkeep.protocol.bitwarden.encrypted.ExportDecryptionException.Reason;
import io.vaultkeep.protocol.crypto.CorruptDataException;
import io.vaultkeep.protocol.crypto.DecryptionFailedException;
import io.vaultkeep.protocol.crypto.EncKeyValidation;
import io.vaultkeep.protocol.crypto.InvalidEncStringException;
import io.vaultkeep.protocol.crypto.MacMismatchException;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.UnsupportedEncStringException;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import io.vaultkeep.protocol.crypto.VaultCryptoException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Bitwarden's account-restricted encrypted_json, opened with the account's keys: every encrypted
 * value is an EncString, folders under the user key, each item under its own key (wrapped by the
 * user or organization key) or its owner's key. The result is the unencrypted json export.
 *
 * <p>The walk decrypts every EncString it meets in an item, whatever the item's type, so types and
 * fields this code does not know (bank accounts, passports, anything newer) come through intact.
 */
public final class AccountRestrictedExport {

    // symmetric EncStrings: "2.iv|ct|mac" and legacy "0.iv|ct"; "7." is V2 (COSE)
    private static final Pattern SYMMETRIC = Pattern.compile("^[02]\\.[A-Za-z0-9+/=]+\\|[A-Za-z0-9+/=|]+$");
    private static final Pattern V2 = Pattern.compile("^7\\.[A-Za-z0-9+/=_-]+$");

    private AccountRestrictedExport() {}

    /** Whether the file is an account-restricted export in the V2 (COSE) form, which is not read. */
    public static boolean isV2(ObjectNode file) {
        return containsV2(file);
    }

    public static byte[] decrypt(byte[] encryptedExport, UserKeyChain keys) throws ExportDecryptionException {
        ObjectNode file = EncryptedExportJson.parseObject(encryptedExport, "the export");
        if (!file.path("encrypted").asBoolean(false) || file.path("passwordProtected").asBoolean(false)) {
            throw new ExportDecryptionException(Reason.MALFORMED,
                    "not an account-restricted encrypted export (expected \"encrypted\": true without \"passwordProtected\")");
        }
        if (containsV2(file)) {
            throw new ExportDecryptionException(Reason.UNSUPPORTED, "this is a V2 account-restricted export (\"7.\" COSE values), "
                    + "which is not supported: export again as json, or as encrypted_json with a password");
        }
        String validation = EncryptedExportJson.requireText(file, EncKeyValidation.FIELD, "the export");
        try {
            if (!EncKeyValidation.opens(validation, keys.userKey())) {
                throw new ExportDecryptionException(Reason.WRONG_PASSWORD, "the account key does not open this export: wrong master "
                        + "password, an export of another account, or one made before a key rotation or password change");
            }
        } catch (InvalidEncStringException | UnsupportedEncStringException e) {
            throw new ExportDecryptionException(Reason.MALFORMED, "the export's " + EncKeyValidation.FIELD + " is malformed: " + e.getMessage());
        }

        ObjectNode plain = EncryptedExportJson.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = file.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals(EncKeyValidation.FIELD)) {
                plain.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        plain.put("encrypted", false);
        decryptList(plain, "folders", keys, false);
        decryptList(plain, "collections", keys, false);
        decryptList(plain, "items", keys, true);
        return EncryptedExportJson.write(plain);
    }

    private static void decryptList(ObjectNode plain, String list, UserKeyChain keys, boolean items) throws ExportDecryptionException {
        JsonNode array = plain.get(list);
        if (array == null || array.isNull()) {
            return;
        }
        if (!array.isArray()) {
            throw new ExportDecryptionException(Reason.MALFORMED, "the export's \"" + list + "\" is not a list");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                throw new ExportDecryptionException(Reason.MALFORMED, list + "[" + i + "] is not an object");
            }
            ObjectNode object = (ObjectNode) element;
            String where = list + "[" + i + "]";
            SymmetricKey owner = ownerKey(keys, object, where);
            SymmetricKey key = owner;
            try {
                if (items && object.hasNonNull("key")) {
                    key = unwrap(() -> UserKeyChain.unwrapCipherKey(object.get("key").asText(), owner, where + ".key"), where + ".key");
                }
                object.remove("key");
                decryptTree(object, key, where);
                if (items) {
                    checkUriChecksums(object, where);
                }
            } finally {
                if (key != owner) {
                    key.destroy();
                }
            }
        }
    }

    private static SymmetricKey ownerKey(UserKeyChain keys, ObjectNode object, String where) throws ExportDecryptionException {
        String organizationId = object.hasNonNull("organizationId") ? object.get("organizationId").asText() : null;
        try {
            return keys.ownerKey(organizationId);
        } catch (NoSuchElementException e) {
            throw new ExportDecryptionException(Reason.WRONG_PASSWORD, where + " belongs to organization " + organizationId
                    + ", whose key was not given");
        }
    }

    /** Replaces every EncString under {@code node} by its plaintext, in place. */
    private static void decryptTree(JsonNode node, SymmetricKey key, String path) throws ExportDecryptionException {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String where = path + "." + field.getKey();
                if (isEncString(field.getValue())) {
                    field.setValue(TextNode.valueOf(decryptField(field.getValue().asText(), key, where)));
                } else {
                    decryptTree(field.getValue(), key, where);
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                String where = path + "[" + i + "]";
                if (isEncString(array.get(i))) {
                    array.set(i, TextNode.valueOf(decryptField(array.get(i).asText(), key, where)));
                } else {
                    decryptTree(array.get(i), key, where);
                }
            }
        }
    }

    private static boolean isEncString(JsonNode node) {
        return node.isTextual() && SYMMETRIC.matcher(node.asText()).matches();
    }

    private static String decryptField(String encString, SymmetricKey key, String where) throws ExportDecryptionException {
        return unwrap(() -> SymmetricEncString.parse(encString, where).decryptString(key, where), where);
    }

    /**
     * Bitwarden stores base64(SHA-256(uri)) beside each encrypted URI so a swapped URI is noticed;
     * the unencrypted export has no such field, so it is checked and dropped.
     */
    private static void checkUriChecksums(ObjectNode item, String where) throws ExportDecryptionException {
        JsonNode uris = item.path("login").path("uris");
        if (!uris.isArray()) {
            return;
        }
        for (int i = 0; i < uris.size(); i++) {
            if (!(uris.get(i) instanceof ObjectNode uri) || !uri.has("uriChecksum")) {
                continue;
            }
            JsonNode checksum = uri.remove("uriChecksum");
            if (checksum.isNull() || !uri.hasNonNull("uri")) {
                continue;
            }
            String expected = Base64.getEncoder().encodeToString(sha256(uri.get("uri").asText()));
            if (!expected.equals(checksum.asText())) {
                throw new ExportDecryptionException(Reason.DAMAGED, where + ".login.uris[" + i + "].uri does not match its checksum");
            }
        }
    }

    @FunctionalInterface
    private interface Decryption<T> {
        T run();
    }

    /** Crypto failures become named export errors: a MAC mismatch after a valid key check is damage. */
    private static <T> T unwrap(Decryption<T> decryption, String where) throws ExportDecryptionException {
        try {
            return decryption.run();
        } catch (MacMismatchException | DecryptionFailedException | CorruptDataException e) {
            throw new ExportDecryptionException(Reason.DAMAGED, where + " is damaged or was edited (its MAC or padding does not check out)");
        } catch (UnsupportedEncStringException e) {
            throw new ExportDecryptionException(Reason.UNSUPPORTED, where + ": " + e.getMessage());
        } catch (VaultCryptoException e) {
            throw new ExportDecryptionException(Reason.MALFORMED, where + ": " + e.getMessage());
        }
    }

    private static boolean containsV2(JsonNode node) {
        if (node.isTextual()) {
            return V2.matcher(node.asText()).matches();
        }
        for (JsonNode child : node) {
            if (containsV2(child)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
