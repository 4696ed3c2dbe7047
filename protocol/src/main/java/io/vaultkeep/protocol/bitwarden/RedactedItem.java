package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Set;

/**
 * One item's JSON with its secrets hidden: every string is replaced by {@link #HIDDEN} except the
 * fields that identify the item and where it lives (id, name, folder, organization, collections,
 * dates) and its attachments' ids, names and sizes. Strings of fields this does not know, and of
 * item types it does not know, are hidden too: what is not known to be harmless is a secret.
 * Numbers, booleans and nulls stay (types, flags), so the shape is still visible.
 */
public final class RedactedItem {

    public static final String HIDDEN = "***";

    private static final Set<String> SHOWN = Set.of("id", "organizationId", "folderId", "name", "collectionIds",
            "creationDate", "revisionDate", "deletedDate");
    private static final Set<String> SHOWN_OF_ATTACHMENT = Set.of("id", "fileName", "size", "sizeName");

    private RedactedItem() {}

    public static ObjectNode of(ObjectNode item) {
        ObjectNode copy = item.deepCopy();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            String key = field.getKey();
            if (key.equals("attachments") && field.getValue() instanceof ArrayNode attachments) {
                ArrayNode shown = copy.arrayNode();
                attachments.forEach(a -> shown.add(a instanceof ObjectNode o ? hideAllBut(o, SHOWN_OF_ATTACHMENT) : hide(a)));
                copy.set(key, shown);
            } else if (!SHOWN.contains(key)) {
                copy.set(key, hide(field.getValue()));
            }
        }
        return copy;
    }

    private static ObjectNode hideAllBut(ObjectNode node, Set<String> shown) {
        ObjectNode copy = node.deepCopy();
        node.properties().forEach(field -> {
            if (!shown.contains(field.getKey())) {
                copy.set(field.getKey(), hide(field.getValue()));
            }
        });
        return copy;
    }

    private static JsonNode hide(JsonNode value) {
        if (value.isTextual()) {
            return TextNode.valueOf(HIDDEN);
        }
        if (value instanceof ObjectNode object) {
            return hideAllBut(object, Set.of());
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(v -> copy.add(hide(v)));
            return copy;
        }
        return value.deepCopy();
    }
}
