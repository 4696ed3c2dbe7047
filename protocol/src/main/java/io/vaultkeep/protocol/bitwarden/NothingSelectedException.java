package io.vaultkeep.protocol.bitwarden;

/** A selection of a vault ({@link VaultSelection}) names something the vault does not hold, or names it ambiguously. */
public final class NothingSelectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public NothingSelectedException(String message) {
        super(message);
    }
}
