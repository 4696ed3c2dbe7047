package io.vaultkeep.protocol.crypto;

/**
 * The HMAC-SHA256 of a type-2 EncString does not match: the key is wrong, or the data was damaged or
 * tampered with. The two look the same here; a caller that needs to tell them apart checks the key
 * first with {@link EncKeyValidation} (a wrong password then fails there, and a later mismatch means
 * damaged data). Nothing was decrypted.
 */
public final class MacMismatchException extends VaultCryptoException {

    MacMismatchException(String field, String problem) {
        super(field, problem, null);
    }
}
