package io.vaultkeep.protocol.bitwarden;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A file that cannot be read as the export it was handed in as. Messages say what and where (line,
 * column, CSV row), never what the file holds: vault text is secret, and parser messages that quote
 * input are not passed on (nor kept as the cause).
 */
public final class ExportFormatException extends IOException {

    public enum Problem {
        /** Not JSON at all, or JSON with a syntax error. */
        NOT_JSON,
        /** JSON that stops before its end: a cut-off download or copy. */
        TRUNCATED,
        /** Well-formed, but not a Bitwarden export (no items list, a CSV without Bitwarden's columns, …). */
        NOT_AN_EXPORT,
        /** An encrypted export handed to a plain reader; {@link #kind()} says which kind. */
        ENCRYPTED,
        /** A CSV row that does not parse or holds a value its column cannot take; {@link #row()} says which. */
        MALFORMED_CSV
    }

    private final Problem problem;
    private final ExportKind kind;
    private final int line;
    private final int column;
    private final int row;

    private ExportFormatException(String message, Problem problem, ExportKind kind, int line, int column, int row) {
        super(message);
        this.problem = problem;
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.row = row;
    }

    static ExportFormatException of(Problem problem, String message) {
        return new ExportFormatException(message, problem, null, 0, 0, 0);
    }

    static ExportFormatException at(Problem problem, String message, int line, int column) {
        return new ExportFormatException(message, problem, null, line, column, 0);
    }

    static ExportFormatException encrypted(ExportKind kind, String message) {
        return new ExportFormatException(message, Problem.ENCRYPTED, kind, 0, 0, 0);
    }

    static ExportFormatException csvRow(int row, int line, String message) {
        return new ExportFormatException(message, Problem.MALFORMED_CSV, null, line, 0, row);
    }

    public Problem problem() {
        return problem;
    }

    /** For {@link Problem#ENCRYPTED}: which encrypted kind. */
    public Optional<ExportKind> kind() {
        return Optional.ofNullable(kind);
    }

    /** 1-based line where the problem is (JSON) or where the CSV row starts. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }

    /** 1-based CSV row, the header being row 1 (blank lines are not rows). */
    public OptionalInt row() {
        return row > 0 ? OptionalInt.of(row) : OptionalInt.empty();
    }
}
