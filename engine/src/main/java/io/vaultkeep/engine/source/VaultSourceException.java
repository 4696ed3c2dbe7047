package io.vaultkeep.engine.source;

import java.io.IOException;

/** A vault source cannot deliver a vault: a missing, malformed or unsupported input. */
public final class VaultSourceException extends IOException {
    public VaultSourceException(String message) {
        super(message);
    }
}
