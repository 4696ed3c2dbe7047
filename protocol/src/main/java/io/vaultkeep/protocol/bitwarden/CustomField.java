package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code fields[]}: a custom field. Values are strings ({@code "true"}/{@code "false"} for boolean
 * fields); a linked field has a null value and a {@code linkedId}.
 */
public record CustomField(
        String name,
        String value,
        FieldType type,
        Integer linkedId,
        Map<String, JsonNode> other) implements ExportRecord {

    public CustomField {
        other = JsonRecords.other(CustomField.class, other);
    }

    public static CustomField text(String name, String value) {
        return new CustomField(name, value, FieldType.TEXT, null, null);
    }

    public static CustomField hidden(String name, String value) {
        return new CustomField(name, value, FieldType.HIDDEN, null, null);
    }

    public static CustomField bool(String name, boolean value) {
        return new CustomField(name, Boolean.toString(value), FieldType.BOOLEAN, null, null);
    }

    public static CustomField linked(String name, int linkedId) {
        return new CustomField(name, null, FieldType.LINKED, linkedId, null);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
