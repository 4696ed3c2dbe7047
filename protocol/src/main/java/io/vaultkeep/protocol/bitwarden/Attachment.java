package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code attachments[]} of an item in a Keyguard snapshot or a sync response ({@code bw export} leaves
 * attachments out). Bitwarden writes {@code size} as a string of digits.
 */
public record Attachment(
        String id,
        String url,
        String fileName,
        String key,
        String size,
        String sizeName,
        Map<String, JsonNode> other) implements ExportRecord {

    public Attachment {
        other = JsonRecords.other(Attachment.class, other);
    }

    /** {@link #size()} as a number, or -1 when it is absent or not a number. */
    public long sizeInBytes() {
        if (size == null) {
            return -1;
        }
        try {
            return Long.parseLong(size);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
