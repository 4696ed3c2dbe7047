package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.ExportFormatException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes unencrypted Bitwarden json exports ({@code bw export --format json}), personal and
 * organization, and tells the export kinds apart ({@link #detect(byte[])}).
 *
 * <p>Reading then writing gives the same JSON tree: every key and value is kept, including item
 * types and keys this code does not know, nulls and absent keys told apart, numbers digit for digit
 * and dates as the strings they were (see {@link ExportRecord}). Only formatting (whitespace, key
 * order) may differ. Written JSON is laid out as Bitwarden lays it out: two-space indent, UTF-8, no
 * trailing newline; a component that is null is left out, as the Bitwarden CLI leaves out null keys.
 */
public final class BitwardenJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // numbers come back digit for digit; a second document after the first is an error, not ignored
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    // the layout of JSON.stringify(export, null, "  ")
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator("")));

    private BitwardenJson() {}

    /**
     * The mapper every reader of export trees shares: numbers digit for digit (no float rounding,
     * no stripped trailing zeros) and nothing after the document.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @throws ExportFormatException {@code NOT_JSON}, {@code TRUNCATED}, {@code NOT_AN_EXPORT} (no
     *     items list), or {@code ENCRYPTED} with the encrypted kind
     */
    public static VaultExport read(byte[] json) throws ExportFormatException {
        return fromTree(readTree(json));
    }

    public static VaultExport read(InputStream in) throws IOException {
        return read(in.readAllBytes());
    }

    /** The same checks as {@link #read(byte[])}, on a tree parsed elsewhere. */
    public static VaultExport fromTree(JsonNode root) throws ExportFormatException {
        if (root == null || !root.isObject()) {
            throw ExportFormatException.of(Problem.NOT_AN_EXPORT,
                    "not a Bitwarden export: the JSON is " + describe(root) + ", not an object with an \"items\" list");
        }
        Detection detection = classify((ObjectNode) root);
        switch (detection.kind()) {
            case PLAIN_JSON -> {
                return JsonRecords.read(VaultExport.class, (ObjectNode) root);
            }
            case PASSWORD_PROTECTED, ACCOUNT_RESTRICTED, ACCOUNT_RESTRICTED_V2 ->
                    throw ExportFormatException.encrypted(detection.kind(), "this is " + detection.reason()
                            + "; the plain json reader cannot open it");
            default -> throw ExportFormatException.of(Problem.NOT_AN_EXPORT, "not a Bitwarden export: " + detection.reason());
        }
    }

    /** Any part of an export (an item, a login, …) from its JSON object, by the same lossless rule. */
    public static <T extends ExportRecord> T fromTree(Class<T> type, ObjectNode node) {
        return JsonRecords.read(type, node);
    }

    public static ObjectNode toTree(ExportRecord value) {
        return JsonRecords.write(value);
    }

    /** UTF-8 JSON laid out like the Bitwarden CLI's. */
    public static byte[] write(VaultExport export) {
        try {
            return WRITER.writeValueAsBytes(toTree(export));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /** Any tree (a part of an export, one item) as UTF-8 JSON laid out like the Bitwarden CLI's. */
    public static byte[] writeTree(JsonNode tree) {
        try {
            return WRITER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    public static String writeString(VaultExport export) {
        return new String(write(export), StandardCharsets.UTF_8);
    }

    /**
     * Parses any JSON with this codec's settings (exact numbers, one document).
     *
     * @throws ExportFormatException {@code NOT_JSON} or {@code TRUNCATED}, with line and column
     */
    public static JsonNode readTree(byte[] json) throws ExportFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonEOFException e) {
            JsonLocation at = e.getLocation();
            throw ExportFormatException.at(Problem.TRUNCATED, "the JSON ends early" + where(at)
                    + ": the file looks cut off", line(at), column(at));
        } catch (StreamConstraintsException e) {
            throw ExportFormatException.of(Problem.NOT_JSON, "the JSON exceeds the parser's size or nesting limits");
        } catch (JsonProcessingException e) {
            // the parser's own message quotes the input: say where, never what
            JsonLocation at = e.getLocation();
            String hint = startsLikeJson(json) ? "" : looksLikeCsv(json) ? " (it is a CSV export)" : " (it does not start with {)";
            throw ExportFormatException.at(Problem.NOT_JSON, "not valid JSON" + where(at) + hint, line(at), column(at));
        } catch (IOException e) {
            throw ExportFormatException.of(Problem.NOT_JSON, "not JSON text in a Unicode encoding");
        }
        if (root == null || root.isMissingNode()) {
            throw ExportFormatException.of(Problem.NOT_JSON, "the file is empty");
        }
        return root;
    }

    /**
     * What the bytes are: an unencrypted json export, one of the encrypted kinds, a Bitwarden CSV, or
     * something else, with a reason that names no content. Never throws.
     */
    public static Detection detect(byte[] bytes) {
        if (bytes == null || blank(bytes)) {
            return new Detection(ExportKind.UNKNOWN, "the file is empty");
        }
        if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
            return new Detection(ExportKind.UNKNOWN, "a ZIP archive (bw export --format zip holds the json export as data.json)");
        }
        if (startsLikeJson(bytes)) {
            // the common case without the tree (ExportOutline); anything else is told apart on the tree
            ExportOutline outline = ExportOutline.scan(bytes);
            if (outline != null) {
                return plain(outline.organization(), outline.organization() ? outline.collections() : outline.folders(),
                        outline.items());
            }
            JsonNode root;
            try {
                root = readTree(bytes);
            } catch (ExportFormatException e) {
                return new Detection(ExportKind.UNKNOWN, e.getMessage());
            }
            if (!root.isObject()) {
                return new Detection(ExportKind.UNKNOWN, "the JSON is " + describe(root) + ", not an export object");
            }
            return classify((ObjectNode) root);
        }
        BitwardenCsv.Layout layout = BitwardenCsv.headerLayout(bytes);
        if (layout != null) {
            return new Detection(ExportKind.CSV, "a Bitwarden CSV export with the " + layout.label() + " columns");
        }
        return new Detection(ExportKind.UNKNOWN, "neither JSON nor a CSV with Bitwarden's header");
    }

    private static Detection classify(ObjectNode root) {
        if (root.path("encrypted").asBoolean(false)) {
            if (root.path("passwordProtected").asBoolean(false)) {
                String kdf = switch (root.path("kdfType").asInt(-1)) {
                    case 0 -> " (PBKDF2)";
                    case 1 -> " (Argon2id)";
                    default -> "";
                };
                return new Detection(ExportKind.PASSWORD_PROTECTED,
                        "a password-protected encrypted json export" + kdf + ": it opens with the file password it was made with");
            }
            if (hasV2String(root)) {
                return new Detection(ExportKind.ACCOUNT_RESTRICTED_V2, "an account-restricted encrypted json export in the V2 "
                        + "format (\"7.\" COSE strings), which is not supported: export again as json or password-protected");
            }
            return new Detection(ExportKind.ACCOUNT_RESTRICTED,
                    "an account-restricted encrypted json export: it opens only with the keys of the account that made it");
        }
        JsonNode items = root.get("items");
        if (items == null || items.isNull()) {
            return new Detection(ExportKind.UNKNOWN, "a JSON object without an \"items\" list");
        }
        if (!items.isArray()) {
            return new Detection(ExportKind.UNKNOWN, "\"items\" is " + describe(items) + ", not a list");
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                return new Detection(ExportKind.UNKNOWN, "items[" + i + "] is " + describe(items.get(i)) + ", not an item object");
            }
        }
        boolean organization = root.path("collections").isArray() && !root.has("folders");
        return plain(organization, size(root.get(organization ? "collections" : "folders")), items.size());
    }

    private static Detection plain(boolean organization, int groups, int items) {
        return new Detection(ExportKind.PLAIN_JSON, "an unencrypted json export (" + (organization ? "organization" : "personal")
                + ", " + count(groups, organization ? "collection" : "folder") + ", " + count(items, "item") + ")");
    }

    /** V2 account-restricted exports carry "7." (COSE) strings where V1 has "2." EncStrings. */
    private static boolean hasV2String(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().startsWith("7.");
        }
        for (JsonNode child : node) {
            if (hasV2String(child)) {
                return true;
            }
        }
        return false;
    }

    private static int size(JsonNode list) {
        return list != null && list.isArray() ? list.size() : 0;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The JSON type of a node, for messages: never its value. */
    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static int line(JsonLocation at) {
        return at == null ? 0 : Math.max(0, at.getLineNr());
    }

    private static int column(JsonLocation at) {
        return at == null ? 0 : Math.max(0, at.getColumnNr());
    }

    private static boolean blank(byte[] bytes) {
        int i = bomLength(bytes);
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i == bytes.length;
    }

    private static boolean startsLikeJson(byte[] bytes) {
        int i = bomLength(bytes);
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i < bytes.length && (bytes[i] == '{' || bytes[i] == '[');
    }

    private static boolean looksLikeCsv(byte[] bytes) {
        return BitwardenCsv.headerLayout(bytes) != null;
    }

    private static int bomLength(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
    }
}
