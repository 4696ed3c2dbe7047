package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What a backup needs to know of an unencrypted json export, read token by token without building
 * its tree: a 6 MB export parsed into a {@code JsonNode} tree is ~30 MB of short-lived objects and most
 * of a backup's parsing time, and detection and the vault source each parsed it again (issue 17).
 *
 * <p>{@link #scan(byte[], JsonFactory)} answers only for a well-formed export in the common shape
 * (an object, {@code "encrypted"} absent or {@code false}, an {@code "items"} list of objects, nothing
 * after the document) and returns null for anything else: the caller then parses the tree as before,
 * so every other input, and every error message, stays exactly the tree reader's. Within that shape the
 * answers are the tree's: a repeated key counts by its last value (as {@code ObjectNode} keeps it), and
 * numbers are checked against the parser's limits as the tree reader reads them.
 *
 * @param items the length of {@code "items"}
 * @param listedAttachments the sum over items of the length of each one's {@code "attachments"} list
 *     (an item whose {@code "attachments"} is not a list lists none)
 * @param collections the length of {@code "collections"} when it is a list, else 0
 * @param folders the length of {@code "folders"} when it is a list, else 0
 * @param hasFolders whether the document has a {@code "folders"} key at all (any value, also null)
 */
public record ExportOutline(int items, int listedAttachments, int collections, boolean collectionsIsList, int folders,
                            boolean hasFolders) {

    /** An organization export: a {@code "collections"} list and no {@code "folders"} key (the tree reader's rule). */
    public boolean organization() {
        return collectionsIsList && !hasFolders;
    }

    /**
     * A parser factory with the read limits of {@link BitwardenJson#mapper()}'s (the defaults, as
     * {@code ExportOutlineTest} holds): its own, so a backup that only outlines its export does not
     * build that mapper (~20 ms of databind set-up on C1).
     */
    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * The outline of {@code json}, or null when it is not a well-formed plain export in the common
     * shape and the caller must read the tree. Never throws.
     */
    public static ExportOutline scan(byte[] json) {
        return scan(json, FACTORY);
    }

    static JsonFactory factory() {
        return FACTORY;
    }

    private static ExportOutline scan(byte[] json, JsonFactory factory) {
        // no string in the file can exceed the string limit when the file is shorter than it (the tree reader
        // checks strings as it reads them; skipping them here does not)
        if (json == null || json.length >= factory.streamReadConstraints().getMaxStringLength() || !startsWithBrace(json)) {
            return null;
        }
        try (JsonParser p = factory.createParser(json)) {
            return outline(p);
        } catch (IOException | RuntimeException e) {
            // malformed, truncated or over a limit: the tree reader says what and where
            return null;
        }
    }

    /**
     * Whether the first byte after an optional UTF-8 byte order mark and whitespace is {@code {}: what
     * detection asks before it reads JSON at all (a UTF-16 file with its byte order mark, which the parser
     * would read, is no export to it), so the outline answers for no file detection would refuse.
     */
    private static boolean startsWithBrace(byte[] bytes) {
        int i = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i < bytes.length && bytes[i] == '{';
    }

    private static ExportOutline outline(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        int items = -1;
        int listed = 0;
        int collections = 0;
        boolean collectionsIsList = false;
        int folders = 0;
        boolean hasFolders = false;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "encrypted" -> {
                    // the tree reader's asBoolean(false): anything but false (or no key) needs its rules
                    if (value != JsonToken.VALUE_FALSE) {
                        return null;
                    }
                }
                case "items" -> {
                    if (value != JsonToken.START_ARRAY) {
                        return null;
                    }
                    items = 0;
                    listed = 0;
                    for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
                        if (item != JsonToken.START_OBJECT) {
                            return null;
                        }
                        items++;
                        listed += itemAttachments(p);
                    }
                }
                case "collections" -> {
                    collectionsIsList = value == JsonToken.START_ARRAY;
                    collections = collectionsIsList ? length(p) : skip(p, value);
                }
                case "folders" -> {
                    hasFolders = true;
                    folders = value == JsonToken.START_ARRAY ? length(p) : skip(p, value);
                }
                default -> skip(p, value);
            }
        }
        // the tree reader refuses a second document (FAIL_ON_TRAILING_TOKENS)
        if (items < 0 || p.nextToken() != null) {
            return null;
        }
        return new ExportOutline(items, listed, collections, collectionsIsList, folders, hasFolders);
    }

    /** Reads one item object (its START_OBJECT read): the length of its last {@code "attachments"} value if a list. */
    private static int itemAttachments(JsonParser p) throws IOException {
        int attachments = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            boolean isAttachments = "attachments".equals(p.currentName());
            JsonToken value = p.nextToken();
            if (isAttachments) {
                attachments = value == JsonToken.START_ARRAY ? length(p) : skip(p, value);
            } else {
                skip(p, value);
            }
        }
        return attachments;
    }

    /** Reads a list (its START_ARRAY read) to its end: how many elements it has. */
    private static int length(JsonParser p) throws IOException {
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            n++;
            skip(p, t);
        }
        return n;
    }

    /**
     * Reads past the value that starts with {@code token}, checking each number as the tree reader does
     * (it would refuse one over the parser's length limits). Returns 0, for the callers' convenience.
     */
    private static int skip(JsonParser p, JsonToken token) throws IOException {
        int depth = 0;
        JsonToken t = token;
        while (true) {
            if (t == null) {
                throw new IOException("the document ends inside a value");
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        p.getBigIntegerValue();
                    }
                }
                case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                default -> { }
            }
            if (depth == 0) {
                return 0;
            }
            t = p.nextToken();
        }
    }
}
