package io.vaultkeep.protocol.crypto;

/**
 * A well-known EncString type VaultKeep does not handle: 7 (COSE, Bitwarden's V2 encryption for new
 * accounts) and 1 (AES-128, retired by Bitwarden). Distinct from {@link InvalidEncStringException} so
 * that callers can tell "we cannot read this yet" from "this is damaged".
 */
public final class UnsupportedEncStringException extends VaultCryptoException {

    private final int encType;

    UnsupportedEncStringException(String field, int encType, String problem) {
        super(field, problem, null);
        this.encType = encType;
    }

    public int encType() {
        return encType;
    }
}
