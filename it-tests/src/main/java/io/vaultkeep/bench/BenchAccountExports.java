package io.vaultkeep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vaultkeep.protocol.crypto.EncKeyValidation;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Makes account-restricted exports for benchmarks, as Bitwarden writes them: folder names under the
 * user key, each item under its own key (wrapped by the user key), every secret string an EncString.
 */
public final class BenchAccountExports {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Item fields Bitwarden keeps in the clear; every other string is encrypted. */
    private static final Set<String> CLEAR = Set.of("id", "organizationId", "folderId", "creationDate", "revisionDate",
            "deletedDate", "archivedDate", "lastUsedDate", "passwordRevisionDate");

    private BenchAccountExports() {}

    public static byte[] encrypt(byte[] plainJsonExport, SymmetricKey userKey) throws IOException {
        ObjectNode file = (ObjectNode) JSON.readTree(plainJsonExport);
        file.put("encrypted", true);
        file.put(EncKeyValidation.FIELD, EncKeyValidation.create(userKey));
        for (JsonNode folder : file.path("folders")) {
            ((ObjectNode) folder).put("name", SymmetricEncString.encrypt(folder.get("name").asText(), userKey).format());
        }
        for (JsonNode item : file.path("items")) {
            SymmetricKey itemKey = SymmetricKey.generate();
            encryptTree(item, itemKey);
            ((ObjectNode) item).put("key", SymmetricEncString.encrypt(itemKey.toBytes(), userKey).format());
            itemKey.destroy();
        }
        return JSON.writeValueAsBytes(file);
    }

    private static void encryptTree(JsonNode node, SymmetricKey key) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isTextual() && !CLEAR.contains(field.getKey())) {
                    field.setValue(TextNode.valueOf(SymmetricEncString.encrypt(field.getValue().asText(), key).format()));
                } else {
                    encryptTree(field.getValue(), key);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                encryptTree(array.get(i), key);
            }
        }
    }
}
