package io.vaultkeep.protocol.crypto;

import java.util.Optional;

/**
 * Every failure of the Bitwarden crypto layer. Messages name the problem, the EncString type and the
 * caller's field label; they never contain key bytes, plaintext or ciphertext.
 *
 * <p>Unchecked on purpose: codecs decrypt dozens of fields per item inside mapping code, and the
 * sealed family lets a caller catch the base type or the one case it can act on.
 */
public abstract sealed class VaultCryptoException extends RuntimeException
        permits InvalidKdfParametersException, InvalidEncStringException, UnsupportedEncStringException,
        WrongKeyTypeException, MacMismatchException, CorruptDataException, DecryptionFailedException,
        WrongKeyException {

    private final String field;

    VaultCryptoException(String field, String problem, Throwable cause) {
        super(field == null ? problem : field + ": " + problem, cause);
        this.field = field;
    }

    /** The label the caller gave the failing value (e.g. {@code items[3].login.password}), if any. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
