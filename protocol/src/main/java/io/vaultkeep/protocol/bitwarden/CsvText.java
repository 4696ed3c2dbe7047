package io.vaultkeep.protocol.bitwarden;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 text as Bitwarden's exporter (papaparse) writes it and its importer reads it: comma
 * separated, {@code "} quoted with {@code ""} for a quote, records ended by CRLF, LF or CR, line
 * breaks allowed inside quotes. A quote inside an unquoted cell is taken literally, as papaparse and
 * spreadsheets do.
 */
final class CsvText {

    /** One record: its 1-based number among the non-blank records and the line it starts on. */
    record Row(int number, int line, List<String> cells) {}

    /** Thrown with the row and line, never with cell content; callers turn it into their own message. */
    static final class Malformed extends Exception {
        final int row;
        final int line;

        Malformed(int row, int line, String message) {
            super(message, null, false, false);
            this.row = row;
            this.line = line;
        }
    }

    private CsvText() {}

    /** The records of {@code text}; lines holding nothing are skipped and not counted. */
    static List<Row> rows(String text) throws Malformed {
        List<Row> rows = new ArrayList<>();
        int n = text.length();
        int i = 0;
        int line = 1;
        while (i < n) {
            int rowLine = line;
            int rowNumber = rows.size() + 1;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quotedSeen = false;
            while (true) {
                if (i < n && text.charAt(i) == '"') {
                    quotedSeen = true;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new Malformed(rowNumber, rowLine, "cell " + (cells.size() + 1) + " opens a quote that is never closed");
                        }
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && text.charAt(i + 1) == '"') {
                                cell.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n' || (c == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
                            line++;
                        }
                        cell.append(c);
                        i++;
                    }
                    if (i < n && !isDelimiter(text.charAt(i))) {
                        throw new Malformed(rowNumber, rowLine, "cell " + (cells.size() + 1) + " has text after its closing quote");
                    }
                } else {
                    while (i < n && !isDelimiter(text.charAt(i))) {
                        cell.append(text.charAt(i));
                        i++;
                    }
                }
                cells.add(cell.toString());
                cell.setLength(0);
                if (i >= n) {
                    break;
                }
                char c = text.charAt(i);
                i++;
                if (c == ',') {
                    continue;
                }
                if (c == '\r' && i < n && text.charAt(i) == '\n') {
                    i++;
                }
                line++;
                break;
            }
            boolean blank = !quotedSeen && cells.size() == 1 && cells.get(0).isEmpty();
            if (!blank) {
                rows.add(new Row(rowNumber, rowLine, List.copyOf(cells)));
            }
        }
        return rows;
    }

    /** Papaparse's rule: quote a cell holding a comma, quote, line break or BOM, or starting or ending with a space. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        boolean quote = value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ';
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n' || c == '\uFEFF';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /**
     * A list inside one cell (login URIs), comma separated as Bitwarden writes it. An element that
     * would not read back alone (a comma or line break in it, or a leading quote) is quoted, which
     * Bitwarden's importer also reads; every other list is written exactly as Bitwarden writes it.
     */
    static String list(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String value : values) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            String v = value == null ? "" : value;
            boolean quote = v.startsWith("\"") || v.indexOf(',') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
            out.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
        }
        return out.toString();
    }

    /** The non-empty elements of a cell written by {@link #list}, or separated by line breaks. */
    static List<String> parseList(String cell) throws Malformed {
        List<String> values = new ArrayList<>();
        for (Row row : rows(cell)) {
            for (String value : row.cells()) {
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    private static boolean isDelimiter(char c) {
        return c == ',' || c == '\r' || c == '\n';
    }
}
