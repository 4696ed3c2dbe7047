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
        ATTACHMENTS("attachments"),
        PASSWORD_HISTORY("password history"),
        PASSKEYS("passkeys"),
        /** Hidden, boolean and linked fields read back as text fields. */
        FIELD_TYPES("custom field types"),
        /** A name or value with a line break, or a value with ": ", does not survive a "name: value" line. */
        FIELD_TEXT("custom field text that a name: value line cannot hold"),
        URI_MATCH("URI match rules"),
        EMPTY_URIS("empty URIs"),
        /** A folder the export does not list, or any folder in the organization layout (no folder column). */
        FOLDER("folders"),
        /** Any in the personal layout (no column), one the export does not list, or a name with a comma. */
        COLLECTIONS("collections"),
        /** The organization layout has no favorite column. */
        FAVORITE("favorite flags"),
        /** Item id, organization id, creation, revision and password-revision dates. */
        IDS_AND_DATES("ids and dates"),
        /** Keys CSV has no column for: unknown ones, URI and field extras, a payload of another type. */
        OTHER_PROPERTIES("other properties");

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

    /**
     * One line for a person, counts and kinds only, e.g. {@code wrote 2 items (personal columns); left
     * out (CSV holds logins and secure notes only): card 1, SSH key 2; not carried: passkeys on 1 item}.
     */
    public String report() {
        StringBuilder out = new StringBuilder("wrote " + items(written) + " (" + layout.label() + " columns)");
        for (SkipReason reason : SkipReason.values()) {
            StringJoiner types = new StringJoiner(", ", "; left out (" + reason.description() + "): ", "");
            types.setEmptyValue("");
            for (Skipped s : skipped) {
                if (s.reason() == reason) {
                    types.add((s.type() == null ? "no type" : s.type().label()) + " " + s.count());
                }
            }
            out.append(types);
        }
        StringJoiner missing = new StringJoiner("; ", "; not carried: ", "");
        missing.setEmptyValue("");
        lost.forEach(l -> missing.add(l.what().description() + " on " + items(l.items())));
        return out.append(missing).toString();
    }

    private static String items(int n) {
        return n + (n == 1 ? " item" : " items");
    }
}
