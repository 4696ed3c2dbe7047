package io.vaultkeep.protocol.crypto;

/**
 * The key cannot be used for this EncString type: type 0 under a key with a MAC half (refused so an
 * attacker cannot strip the MAC by rewriting "2." to "0."), type 2 under a legacy AES-only key, or
 * encryption with a legacy key.
 */
public final class WrongKeyTypeException extends VaultCryptoException {

    WrongKeyTypeException(String field, String problem) {
        super(field, problem, null);
    }
}
