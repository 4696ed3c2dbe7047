package io.vaultkeep.engine.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.BitwardenJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds attachment entries to the items of a Bitwarden json export by splicing them into its text:
 * every byte already there (entries the export lists, numbers, spacing, unknown fields) stays as
 * given. An added entry has Keyguard's shape, {@code {"id": …, "size": <number>, "fileName": …}}.
 */
final class AttachmentListing {

    private static final ObjectMapper JSON = BitwardenJson.mapper();

    /** One entry to add to the item with id {@code itemId}. */
    record Added(String itemId, String id, long size, String fileName) {}

    /** Where an item's entries go: its {@code attachments} value, or (none) before its closing brace. */
    private record ItemSpan(long attachmentsStart, JsonToken attachmentsToken, long attachmentsEnd, long objectEnd) {}

    private record Edit(int from, int to, String text) {}

    private AttachmentListing() {}

    /**
     * The export with {@code added} spliced in, in their order per item.
     *
     * @throws VaultSourceException when an item to add to has an {@code attachments} value that is not a list
     */
    static byte[] withEntries(byte[] export, List<Added> added, String exportName) throws IOException {
        if (added.isEmpty()) {
            return export;
        }
        Map<String, ItemSpan> items = itemSpans(export);
        Map<String, List<Added>> byItem = new LinkedHashMap<>();
        for (Added entry : added) {
            byItem.computeIfAbsent(entry.itemId(), k -> new ArrayList<>()).add(entry);
        }
        List<Edit> edits = new ArrayList<>();
        for (Map.Entry<String, List<Added>> item : byItem.entrySet()) {
            ItemSpan span = items.get(item.getKey());
            if (span == null) {
                throw new IllegalArgumentException("no item " + item.getKey() + " to list attachments in");
            }
            edits.add(edit(export, span, entries(item.getValue()), item.getKey(), exportName));
        }
        edits.sort(Comparator.comparingInt(Edit::from));
        ByteArrayOutputStream out = new ByteArrayOutputStream(export.length + 128 * added.size());
        int at = 0;
        for (Edit edit : edits) {
            out.write(export, at, edit.from() - at);
            out.write(edit.text().getBytes(StandardCharsets.UTF_8));
            at = edit.to();
        }
        out.write(export, at, export.length - at);
        byte[] spliced = out.toByteArray();
        // the splice worked on byte offsets: prove it made exactly the document meant
        if (!JSON.readTree(spliced).equals(expected(JSON.readTree(export), byItem))) {
            throw new IllegalStateException("adding attachment entries to " + exportName + " did not give the expected document");
        }
        return spliced;
    }

    private static Edit edit(byte[] export, ItemSpan span, String entries, String itemId, String exportName)
            throws VaultSourceException {
        if (span.attachmentsToken() == null) {
            int end = beforeWhitespace(export, (int) span.objectEnd());
            return new Edit(end, end, ",\"attachments\":[" + entries + "]");
        }
        if (span.attachmentsToken() == JsonToken.VALUE_NULL) {
            return new Edit((int) span.attachmentsStart(), (int) span.attachmentsEnd(), "[" + entries + "]");
        }
        if (span.attachmentsToken() != JsonToken.START_ARRAY) {
            throw new VaultSourceException("item " + itemId + " in " + exportName + " has \"attachments\" that is not a list");
        }
        int end = beforeWhitespace(export, (int) span.attachmentsEnd());
        boolean empty = export[end - 1] == '[';
        return new Edit(end, end, (empty ? "" : ",") + entries);
    }

    /** The offset just after the last non-whitespace byte before {@code offset}. */
    private static int beforeWhitespace(byte[] text, int offset) {
        int at = offset;
        while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t' || text[at - 1] == '\n' || text[at - 1] == '\r')) {
            at--;
        }
        return at;
    }

    private static String entries(List<Added> added) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Added entry : added) {
            texts.add(JSON.writeValueAsString(node(entry)));
        }
        return String.join(",", texts);
    }

    private static ObjectNode node(Added entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", entry.id());
        node.put("size", entry.size());
        node.put("fileName", entry.fileName());
        return node;
    }

    /** The document meant: the entries added as nodes read back from their text (as the spliced document is read). */
    private static JsonNode expected(JsonNode root, Map<String, List<Added>> byItem) throws IOException {
        Set<String> done = new HashSet<>();
        for (JsonNode item : root.path("items")) {
            String id = item.path("id").asText(null);
            if (item.isObject() && id != null && byItem.containsKey(id) && done.add(id)) {
                JsonNode list = item.get("attachments");
                ArrayNode entries = list != null && list.isArray() ? (ArrayNode) list : ((ObjectNode) item).putArray("attachments");
                for (Added entry : byItem.get(id)) {
                    entries.add(JSON.readTree(JSON.writeValueAsString(node(entry))));
                }
            }
        }
        return root;
    }

    /** Each item's spans by id; the first item wins when ids repeat. */
    private static Map<String, ItemSpan> itemSpans(byte[] export) throws IOException {
        Map<String, ItemSpan> spans = new HashMap<>();
        try (JsonParser parser = JSON.getFactory().createParser(export)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return spans;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"items".equals(field) || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == JsonToken.START_OBJECT) {
                        scanItem(parser, spans);
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
        return spans;
    }

    private static void scanItem(JsonParser parser, Map<String, ItemSpan> spans) throws IOException {
        String id = null;
        JsonToken attachments = null;
        long start = -1;
        long end = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("id".equals(field) && value == JsonToken.VALUE_STRING) {
                id = parser.getText();
            } else if ("attachments".equals(field)) {
                attachments = value;
                start = parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                // an array's end is its closing bracket's offset; null is four bytes
                end = value == JsonToken.VALUE_NULL ? start + 4 : parser.currentTokenLocation().getByteOffset();
            } else {
                parser.skipChildren();
            }
        }
        long objectEnd = parser.currentTokenLocation().getByteOffset();
        if (id != null) {
            spans.putIfAbsent(id, new ItemSpan(start, attachments, end, objectEnd));
        }
    }
}
