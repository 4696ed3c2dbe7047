package io.vaultkeep.protocol.bitwarden;

/** A custom field's {@code type}; numbers beyond the four Bitwarden defines today are kept as they are. */
public record FieldType(int code) {

    public static final FieldType TEXT = new FieldType(0);
    public static final FieldType HIDDEN = new FieldType(1);
    public static final FieldType BOOLEAN = new FieldType(2);
    /** Value is null; {@link CustomField#linkedId()} names the login or card property it mirrors. */
    public static final FieldType LINKED = new FieldType(3);

    public static FieldType of(int code) {
        return new FieldType(code);
    }

    public String label() {
        return switch (code) {
            case 0 -> "text";
            case 1 -> "hidden";
            case 2 -> "boolean";
            case 3 -> "linked";
            default -> "field type " + code;
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
