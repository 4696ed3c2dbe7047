package io.vaultkeep.protocol.crypto;

/**
 * A value that is not a well-formed EncString: no or unknown type, wrong number of parts, invalid
 * base64, wrong IV/MAC/ciphertext length. The message names the type and the problem, never the value.
 */
public final class InvalidEncStringException extends VaultCryptoException {

    InvalidEncStringException(String field, String problem) {
        super(field, problem, null);
    }
}
