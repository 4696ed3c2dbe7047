package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.protocol.bitwarden.CsvExport.Loss;
import io.vaultkeep.protocol.bitwarden.CsvExport.Lost;
import io.vaultkeep.protocol.bitwarden.CsvExport.SkipReason;
import io.vaultkeep.protocol.bitwarden.CsvExport.Skipped;
import io.vaultkeep.protocol.bitwarden.ExportFormatException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Bitwarden's CSV export ({@code bw export --format csv}): logins and secure notes only.
 *
 * <p>Written as Bitwarden's exporter writes it (checked against {@code @bitwarden/cli} 2026.9.0 and
 * papaparse 5.5.3): the {@link Layout} columns, CRLF between rows and none after the last, a cell
 * quoted only when it holds a comma, quote, line break or BOM or starts or ends with a space;
 * {@code type} {@code login}/{@code note}; {@code favorite} {@code 1} or empty (personal layout only:
 * the organization layout has no favorite column); {@code reprompt} the number ({@code 0} when
 * absent); {@code archivedDate} the date string or empty; {@code fields} one {@code name: value} line
 * per custom field; {@code login_uri} the URIs joined by commas; {@code collections} the collection
 * names joined by commas. Two deliberate differences: a custom field with no value is written
 * {@code name: } where Bitwarden writes {@code name: null}, and a URI holding a comma or line break is
 * quoted inside the cell (Bitwarden's importer reads both; Bitwarden's own output would split it).
 * An empty vault is written as the header alone (Bitwarden writes an empty file).
 *
 * <p>Reading takes both layouts (told apart by {@code folder} or {@code collections} in the header),
 * columns in any order, a BOM, CRLF or LF, quoted line breaks, and URIs separated by commas or line
 * breaks. CSV cannot tell an empty cell from a missing value: empty cells read as absent. Folders and
 * collections, which CSV names rather than identifies, get ids derived from their names (the same
 * name gives the same id); items get no id.
 */
public final class BitwardenCsv {

    /** The two column sets Bitwarden writes. */
    public enum Layout {
        PERSONAL("personal", List.of("folder", "favorite", "type", "name", "notes", "fields", "reprompt", "archivedDate",
                "login_uri", "login_username", "login_password", "login_totp")),
        ORGANIZATION("organization", List.of("collections", "type", "name", "notes", "fields", "reprompt", "archivedDate",
                "login_uri", "login_username", "login_password", "login_totp"));

        private final String label;
        private final List<String> columns;

        Layout(String label, List<String> columns) {
            this.label = label;
            this.columns = columns;
        }

        public String label() {
            return label;
        }

        public List<String> columns() {
            return columns;
        }

        /** The layout Bitwarden would use for this export: organization when it lists collections and no folders. */
        public static Layout of(VaultExport export) {
            return export.isOrganization() ? ORGANIZATION : PERSONAL;
        }
    }

    private static final Set<String> KNOWN_COLUMNS = Set.of("folder", "collections", "favorite", "type", "name", "notes",
            "fields", "reprompt", "archivedDate", "login_uri", "login_username", "login_password", "login_totp");

    private static final String SEPARATOR = ": ";

    private BitwardenCsv() {}

    // ---------------------------------------------------------------- reading

    /**
     * @throws ExportFormatException {@code NOT_AN_EXPORT} for an empty file, text that is not UTF-8 or
     *     a header that is not Bitwarden's; {@code MALFORMED_CSV} naming the row (header = row 1) and
     *     its first line for a row that does not parse, has the wrong number of cells, or holds a value
     *     its column cannot take
     */
    public static VaultExport read(byte[] csv) throws ExportFormatException {
        String text = decode(csv);
        List<CsvText.Row> rows;
        try {
            rows = CsvText.rows(text);
        } catch (CsvText.Malformed e) {
            throw rowError(e.row, e.line, e.getMessage());
        }
        if (rows.isEmpty()) {
            throw ExportFormatException.of(Problem.NOT_AN_EXPORT, "the CSV file is empty");
        }
        CsvText.Row headerRow = rows.get(0);
        Header header = Header.parse(headerRow.cells());
        if (header.problem != null) {
            throw ExportFormatException.of(Problem.NOT_AN_EXPORT, "not a Bitwarden CSV export: " + header.problem);
        }
        Map<String, Folder> folders = new LinkedHashMap<>();
        Map<String, VaultCollection> collections = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>();
        for (CsvText.Row row : rows.subList(1, rows.size())) {
            if (row.cells().size() != header.columns.size()) {
                throw rowError(row.number(), row.line(), "has " + row.cells().size() + " cells where the header has "
                        + header.columns.size());
            }
            items.add(item(new Cells(header, row), folders, collections));
        }
        return header.layout == Layout.ORGANIZATION
                ? new VaultExport(false, null, List.copyOf(collections.values()), null, items, null)
                : new VaultExport(false, null, null, List.copyOf(folders.values()), items, null);
    }

    private static Item item(Cells row, Map<String, Folder> folders, Map<String, VaultCollection> collections)
            throws ExportFormatException {
        String type = row.get("type");
        boolean login = type != null && type.trim().equalsIgnoreCase("login");
        boolean note = type != null && type.trim().equalsIgnoreCase("note");
        if (!login && !note) {
            throw row.error("type must be login or note");
        }
        Item.Builder item = Item.builder(login ? ItemType.LOGIN : ItemType.SECURE_NOTE)
                .name(row.get("name"))
                .notes(row.get("notes"))
                .archivedDate(row.get("archivedDate"))
                .fields(parseFields(row.get("fields")));
        if (row.has("favorite")) {
            String favorite = Objects.requireNonNullElse(row.get("favorite"), "0").trim();
            if (!favorite.equals("0") && !favorite.equals("1")) {
                throw row.error("favorite must be 1, 0 or empty");
            }
            item.favorite(favorite.equals("1"));
        }
        String reprompt = row.get("reprompt");
        if (reprompt != null) {
            try {
                item.reprompt(Integer.valueOf(reprompt.trim()));
            } catch (NumberFormatException e) {
                throw row.error("reprompt must be a number");
            }
        }
        String uriCell = row.get("login_uri");
        List<String> uris;
        try {
            uris = uriCell == null ? List.of() : CsvText.parseList(uriCell);
        } catch (CsvText.Malformed e) {
            throw row.error("login_uri is not a list of URIs (" + e.getMessage() + ")");
        }
        String username = row.get("login_username");
        String password = row.get("login_password");
        String totp = row.get("login_totp");
        if (login) {
            item.login(Login.of(username, password, totp, uris.isEmpty() ? null : uris));
        } else {
            if (!uris.isEmpty() || username != null || password != null || totp != null) {
                // a note has nowhere to keep them, and dropping them would lose data without a word
                throw row.error("a note has login_ values; only login rows can hold them");
            }
            item.secureNote(SecureNote.GENERIC);
        }
        String folder = row.get("folder");
        if (folder != null) {
            item.folderId(folders.computeIfAbsent(folder, name -> new Folder(derivedId("folder", name), name, null)).id());
        }
        String collectionNames = row.get("collections");
        if (collectionNames != null) {
            Set<String> ids = new LinkedHashSet<>();
            for (String name : collectionNames.split(",")) {
                if (!name.isEmpty()) {
                    ids.add(collections.computeIfAbsent(name,
                            n -> new VaultCollection(derivedId("collection", n), null, n, null, null)).id());
                }
            }
            item.collectionIds(ids.isEmpty() ? null : List.copyOf(ids));
        }
        return item.build();
    }

    /**
     * {@code name: value} lines, split at the last {@code ": "} as Bitwarden's importer splits them. A
     * line without one continues the previous field's value (a value with a line break, which
     * Bitwarden's importer drops), or is a field name with no value when it comes first.
     */
    static List<CustomField> parseFields(String cell) {
        if (cell == null) {
            return null;
        }
        List<String[]> fields = new ArrayList<>();
        for (String line : cell.split("\r\n|\r|\n", -1)) {
            int at = line.lastIndexOf(SEPARATOR);
            if (at >= 0) {
                fields.add(new String[] {line.substring(0, at), line.substring(at + SEPARATOR.length())});
            } else if (!fields.isEmpty()) {
                String[] previous = fields.get(fields.size() - 1);
                previous[1] = previous[1] + "\n" + line;
            } else if (!line.isBlank()) {
                fields.add(new String[] {line, ""});
            }
        }
        if (fields.isEmpty()) {
            return null;
        }
        return fields.stream().map(f -> CustomField.text(emptyToNull(f[0]), emptyToNull(f[1]))).toList();
    }

    private static String decode(byte[] bytes) throws ExportFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ExportFormatException.of(Problem.NOT_AN_EXPORT, "the CSV file is not UTF-8 text");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The layout of a Bitwarden CSV header in the file's first line, or null when it has none. */
    static Layout headerLayout(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && end < 4096 && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        String first = new String(bytes, 0, end, StandardCharsets.UTF_8);
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : first.split(",", -1)) {
            String name = cell.trim();
            cells.add(name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1) : name);
        }
        Header header = Header.parse(cells);
        return header.problem == null ? header.layout : null;
    }

    private static String derivedId(String kind, String name) {
        return UUID.nameUUIDFromBytes((kind + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static ExportFormatException rowError(int row, int line, String what) {
        return ExportFormatException.csvRow(row, line, "CSV row " + row + " (line " + line + ") " + what);
    }

    /** The header: which column is where, and the layout it implies; {@code problem} says why it is not Bitwarden's. */
    private record Header(List<String> columns, Map<String, Integer> index, Layout layout, String problem) {

        static Header parse(List<String> cells) {
            List<String> columns = cells.stream().map(String::trim).toList();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                if (!KNOWN_COLUMNS.contains(column)) {
                    // the header's own text may be anything: name the position, not the text
                    return problem(columns, "column " + (i + 1) + " of the header is not one of Bitwarden's columns");
                }
                if (index.putIfAbsent(column, i) != null) {
                    return problem(columns, "the header has the " + column + " column twice");
                }
            }
            if (!index.containsKey("type") || !index.containsKey("name")) {
                return problem(columns, "the header lacks the type or name column");
            }
            boolean folder = index.containsKey("folder");
            boolean collections = index.containsKey("collections");
            if (folder == collections) {
                return problem(columns, "the header needs either a folder column (personal) or a collections column (organization)");
            }
            return new Header(columns, index, collections ? Layout.ORGANIZATION : Layout.PERSONAL, null);
        }

        private static Header problem(List<String> columns, String problem) {
            return new Header(columns, Map.of(), null, problem);
        }
    }

    /** One data row, read by column name; empty cells are null. */
    private record Cells(Header header, CsvText.Row row) {

        boolean has(String column) {
            return header.index.containsKey(column);
        }

        String get(String column) {
            Integer at = header.index.get(column);
            return at == null ? null : emptyToNull(row.cells().get(at));
        }

        ExportFormatException error(String what) {
            return rowError(row.number(), row.line(), what);
        }
    }

    // ---------------------------------------------------------------- writing

    /** {@link #write(VaultExport, Layout)} in the layout Bitwarden would use for this export. */
    public static CsvExport write(VaultExport export) {
        return write(export, Layout.of(export));
    }

    /**
     * Writes the export's logins and secure notes. Other item types and trashed items are left out and
     * counted in {@link CsvExport#skipped()}; what the written items hold that CSV cannot is counted in
     * {@link CsvExport#lost()}.
     */
    public static CsvExport write(VaultExport export, Layout layout) {
        Map<String, String> folderNames = new HashMap<>();
        if (export.folders() != null) {
            export.folders().forEach(f -> folderNames.putIfAbsent(f.id(), f.name()));
        }
        Map<String, String> collectionNames = new HashMap<>();
        if (export.collections() != null) {
            export.collections().forEach(c -> collectionNames.putIfAbsent(c.id(), c.name()));
        }
        StringBuilder out = new StringBuilder(String.join(",", layout.columns()));
        Map<SkipKey, Integer> skipped = new LinkedHashMap<>();
        Map<Loss, Integer> lost = new EnumMap<>(Loss.class);
        int written = 0;
        for (Item item : export.itemsOrEmpty()) {
            boolean login = ItemType.LOGIN.equals(item.type());
            boolean note = ItemType.SECURE_NOTE.equals(item.type());
            SkipReason skip = !login && !note ? SkipReason.NOT_LOGIN_OR_NOTE : item.isDeleted() ? SkipReason.IN_TRASH : null;
            if (skip != null) {
                skipped.merge(new SkipKey(item.type(), skip), 1, Integer::sum);
                continue;
            }
            Set<Loss> losses = EnumSet.noneOf(Loss.class);
            Map<String, String> cells = cells(item, login, layout, folderNames, collectionNames, losses);
            out.append("\r\n");
            String separator = "";
            for (String column : layout.columns()) {
                out.append(separator).append(CsvText.cell(cells.get(column)));
                separator = ",";
            }
            losses.forEach(loss -> lost.merge(loss, 1, Integer::sum));
            written++;
        }
        List<Skipped> skippedList = new ArrayList<>();
        skipped.forEach((key, count) -> skippedList.add(new Skipped(key.type(), key.reason(), count)));
        List<Lost> lostList = new ArrayList<>();
        lost.forEach((loss, count) -> lostList.add(new Lost(loss, count)));
        return new CsvExport(out.toString(), layout, written, skippedList, lostList);
    }

    private record SkipKey(ItemType type, SkipReason reason) {}

    private static Map<String, String> cells(Item item, boolean login, Layout layout, Map<String, String> folderNames,
            Map<String, String> collectionNames, Set<Loss> losses) {
        Map<String, String> cells = new HashMap<>();
        cells.put("type", login ? "login" : "note");
        cells.put("name", item.name());
        cells.put("notes", item.notes());
        cells.put("fields", fields(item.fields(), losses));
        cells.put("reprompt", item.reprompt() == null ? "0" : item.reprompt().toString());
        cells.put("archivedDate", item.archivedDate());
        if (layout == Layout.PERSONAL) {
            cells.put("favorite", item.isFavorite() ? "1" : null);
            if (item.folderId() != null) {
                String folder = folderNames.get(item.folderId());
                if (folder == null || folder.isEmpty()) {
                    losses.add(Loss.FOLDER);
                }
                cells.put("folder", folder);
            }
            if (item.collectionIds() != null && !item.collectionIds().isEmpty()) {
                losses.add(Loss.COLLECTIONS);
            }
        } else {
            if (item.isFavorite()) {
                losses.add(Loss.FAVORITE);
            }
            if (item.folderId() != null) {
                losses.add(Loss.FOLDER);
            }
            List<String> names = new ArrayList<>();
            for (String id : item.collectionIds() == null ? List.<String>of() : item.collectionIds()) {
                String name = collectionNames.get(id);
                if (name == null || name.isEmpty() || name.indexOf(',') >= 0) {
                    losses.add(Loss.COLLECTIONS);
                } else if (!names.contains(name)) {
                    names.add(name);
                }
            }
            cells.put("collections", String.join(",", names));
        }
        if (login && item.login() != null) {
            Login l = item.login();
            cells.put("login_username", l.username());
            cells.put("login_password", l.password());
            cells.put("login_totp", l.totp());
            List<String> uris = new ArrayList<>();
            for (LoginUri uri : l.uris() == null ? List.<LoginUri>of() : l.uris()) {
                if (uri.uri() == null || uri.uri().isEmpty()) {
                    losses.add(Loss.EMPTY_URIS);
                } else {
                    uris.add(uri.uri());
                }
                if (uri.match() != null) {
                    losses.add(Loss.URI_MATCH);
                }
                if (hasValues(uri.other())) {
                    losses.add(Loss.OTHER_PROPERTIES);
                }
            }
            cells.put("login_uri", CsvText.list(uris));
            if (l.fido2Credentials() != null && !l.fido2Credentials().isEmpty()) {
                losses.add(Loss.PASSKEYS);
            }
            if (l.passwordRevisionDate() != null) {
                losses.add(Loss.IDS_AND_DATES);
            }
            if (hasValues(l.other())) {
                losses.add(Loss.OTHER_PROPERTIES);
            }
        }
        if (item.attachments() != null && !item.attachments().isEmpty()) {
            losses.add(Loss.ATTACHMENTS);
        }
        if (item.passwordHistory() != null && !item.passwordHistory().isEmpty()) {
            losses.add(Loss.PASSWORD_HISTORY);
        }
        if (item.id() != null || item.organizationId() != null || item.creationDate() != null || item.revisionDate() != null) {
            losses.add(Loss.IDS_AND_DATES);
        }
        SecureNote secureNote = item.secureNote();
        boolean oddNote = secureNote != null && (login || (secureNote.type() != null && secureNote.type() != 0)
                || hasValues(secureNote.other()));
        if (hasValues(item.other()) || oddNote || (!login && item.login() != null)
                || item.card() != null || item.identity() != null || item.sshKey() != null) {
            losses.add(Loss.OTHER_PROPERTIES);
        }
        return cells;
    }

    /** The {@code fields} cell; counts field types and texts that would not read back as they are. */
    private static String fields(List<CustomField> fields, Set<Loss> losses) {
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (CustomField field : fields) {
            // Bitwarden writes a missing value as "null"; an empty value is what its importer reads as none
            lines.add(Objects.requireNonNullElse(field.name(), "") + SEPARATOR + Objects.requireNonNullElse(field.value(), ""));
            expected.add(Arrays.asList(emptyToNull(field.name()), emptyToNull(field.value())));
            if (field.type() != null && !field.type().equals(FieldType.TEXT) || field.linkedId() != null) {
                losses.add(Loss.FIELD_TYPES);
            }
            if (hasValues(field.other())) {
                losses.add(Loss.OTHER_PROPERTIES);
            }
        }
        String cell = String.join("\n", lines);
        List<List<String>> readBack = new ArrayList<>();
        List<CustomField> parsed = parseFields(cell);
        if (parsed != null) {
            parsed.forEach(f -> readBack.add(Arrays.asList(f.name(), f.value())));
        }
        if (!readBack.equals(expected)) {
            losses.add(Loss.FIELD_TEXT);
        }
        return cell;
    }

    /** True when the map holds a value other than JSON null (a null is the absence Bitwarden's importer sees too). */
    private static boolean hasValues(Map<String, JsonNode> other) {
        return other.values().stream().anyMatch(value -> !value.isNull());
    }
}
