package io.vaultkeep.protocol.crypto;

/**
 * Authenticated data that is nevertheless unusable: the MAC is valid but the padding is not, or a
 * decrypted key has the wrong length or structure. The key was right; whoever produced the data wrote it
 * wrongly, so retrying with another key will not help.
 */
public final class CorruptDataException extends VaultCryptoException {

    CorruptDataException(String field, String problem, Throwable cause) {
        super(field, problem, cause);
    }
}
