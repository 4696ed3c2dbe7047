package io.vaultkeep.protocol.bitwarden;

/**
 * An item's {@code type}. Any number is a valid type: those this code has no payload model for
 * (6 bank account, 7 driver's licence, 8 passport, and whatever Bitwarden adds next) are carried
 * untouched, their payload object in {@link Item#other()} under {@link #payloadKey()}.
 */
public record ItemType(int code) {

    public static final ItemType LOGIN = new ItemType(1);
    public static final ItemType SECURE_NOTE = new ItemType(2);
    public static final ItemType CARD = new ItemType(3);
    public static final ItemType IDENTITY = new ItemType(4);
    public static final ItemType SSH_KEY = new ItemType(5);
    public static final ItemType BANK_ACCOUNT = new ItemType(6);
    public static final ItemType DRIVERS_LICENSE = new ItemType(7);
    public static final ItemType PASSPORT = new ItemType(8);

    public static ItemType of(int code) {
        return new ItemType(code);
    }

    /** True for the types with a typed payload here: login, secure note, card, identity, SSH key. */
    public boolean isModelled() {
        return code >= 1 && code <= 5;
    }

    /** The item key holding this type's payload, or {@code null} for a type this code has never heard of. */
    public String payloadKey() {
        return switch (code) {
            case 1 -> "login";
            case 2 -> "secureNote";
            case 3 -> "card";
            case 4 -> "identity";
            case 5 -> "sshKey";
            case 6 -> "bankAccount";
            case 7 -> "driversLicense";
            case 8 -> "passport";
            default -> null;
        };
    }

    /** A name for messages: "login", "bank account", … or "type 42". */
    public String label() {
        return switch (code) {
            case 1 -> "login";
            case 2 -> "secure note";
            case 3 -> "card";
            case 4 -> "identity";
            case 5 -> "SSH key";
            case 6 -> "bank account";
            case 7 -> "driver's licence";
            case 8 -> "passport";
            default -> "type " + code;
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
