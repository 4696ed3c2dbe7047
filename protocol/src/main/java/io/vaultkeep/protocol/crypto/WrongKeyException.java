package io.vaultkeep.protocol.crypto;

/**
 * The key is not the one the data was encrypted for: the master key does not open the user key, or a key
 * does not open an {@code encKeyValidation_DO_NOT_EDIT} value. In practice a wrong password, a wrong
 * email or KDF setting, or an export from another account or from before a key rotation.
 */
public final class WrongKeyException extends VaultCryptoException {

    WrongKeyException(String field, String problem) {
        super(field, problem, null);
    }
}
