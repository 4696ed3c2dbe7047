package io.vaultkeep.protocol.crypto;

/** KDF parameters below Bitwarden's minimums or above VaultKeep's limits; raised before any derivation. */
public final class InvalidKdfParametersException extends VaultCryptoException {

    private final String parameter;

    InvalidKdfParametersException(String parameter, String problem) {
        super(null, problem, null);
        this.parameter = parameter;
    }

    /** The offending parameter: {@code type}, {@code iterations}, {@code memoryMiB} or {@code parallelism}. */
    public String parameter() {
        return parameter;
    }
}
