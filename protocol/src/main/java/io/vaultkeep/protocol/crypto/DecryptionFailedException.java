package io.vaultkeep.protocol.crypto;

/**
 * Decryption without authentication failed: legacy type 0 (no MAC) or RSA-OAEP. A wrong key and damaged
 * data cannot be told apart for these types.
 */
public final class DecryptionFailedException extends VaultCryptoException {

    DecryptionFailedException(String field, String problem, Throwable cause) {
        super(field, problem, cause);
    }
}
