package io.vaultkeep.protocol.bitwarden;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * A CSV written by {@link BitwardenCsv#write}, with an account of what it does not carry: the items
 * left out (by type and reason) and, for the items written, each kind of data CSV has no place for
 * with the number of items that had some. Nothing is dropped without being counted here.
 */
public record CsvExport(String text, BitwardenCsv.Layout layout, int written, List<Skipped> skipped, List<Lost> lost) {

    public enum SkipReason {
        NOT_LOGIN_OR_NOTE("CSV holds logins and secure notes only"),
        IN_TRASH("in the trash, which Bitwarden's CSV export leaves out too");

        private final String description;

        SkipReason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** {@code count} items of {@code type} (null: items without a type) left out for {@code reason}. */
    public record Skipped(ItemType type, SkipReason reason, int count) {}

    /** Data of written items that the CSV does not hold. */
    public enum Loss {
        ATTACHMENTS("attachments (CSV holds no files)"),
        PASSWORD_HISTORY("password history"),
        PASSKEYS("passkeys (login.fido2Credentials)"),
        FIELD_TYPES("custom field types (hidden, boolean and linked fields read back as text)"),
        FIELD_TEXT("custom fields that a \"name: value\" line cannot hold (a line break, or \": \" in the value)"),
        URI_MATCH("URI match rules"),
        EMPTY_URIS("empty URIs"),
        FOLDER("folders (a folder the export does not list, or the organization layout, which has no folder column)"),
        COLLECTIONS("collections (the personal layout has no collections column; a collection the export does not list;"
                + " a name with a comma)"),
        FAVORITE("favorite flags (the organization layout has no favorite column)"),
        IDS_AND_DATES("ids, organization ids, creation, revision and password-revision dates"),
        OTHER_PROPERTIES("other properties, which CSV has no column for");

        private final String description;

        Loss(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** {@code items} written items had data of kind {@code what} that the CSV does not hold. */
    public record Lost(Loss what, int items) {}

    public CsvExport {
        skipped = List.copyOf(skipped);
        lost = List.copyOf(lost);
    }

    /** UTF-8, no byte order mark, as Bitwarden writes it. */
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** True when every item was written with all its data. */
    public boolean complete() {
        return skipped.isEmpty() && lost.isEmpty();
    }

    public int skippedCount() {
        return skipped.stream().mapToInt(Skipped::count).sum();
    }

    /** One line for a person: counts and kinds, no vault content. */
    public String report() {
        StringBuilder out = new StringBuilder("wrote " + written + " item" + (written == 1 ? "" : "s")
                + " (" + layout.label() + " columns)");
        if (!skipped.isEmpty()) {
            StringJoiner left = new StringJoiner("; ", "; left out ", "");
            for (Skipped s : skipped) {
                left.add((s.type() == null ? "without a type" : s.type().label()) + ": " + s.count() + " (" + s.reason().description() + ")");
            }
            out.append(left);
        }
        if (!lost.isEmpty()) {
            StringJoiner missing = new StringJoiner("; ", "; not carried: ", "");
            for (Lost l : lost) {
                missing.add(l.what().description() + " of " + l.items() + " item" + (l.items() == 1 ? "" : "s"));
            }
            out.append(missing);
        }
        return out.toString();
    }
}
