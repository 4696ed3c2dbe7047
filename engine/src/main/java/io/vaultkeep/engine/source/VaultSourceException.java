package io.vaultkeep.engine.source;

import java.io.IOException;

/**
 * A vault source cannot deliver a vault: a missing, malformed or unsupported input, or (when
 * {@link #needsAttention()}) credentials or settings that the source's origin refuses, which
 * retrying will not change.
 */
public final class VaultSourceException extends IOException {

    private final boolean needsAttention;

    public VaultSourceException(String message) {
        this(message, false, null);
    }

    public VaultSourceException(String message, boolean needsAttention, Throwable cause) {
        super(message, cause);
        this.needsAttention = needsAttention;
    }

    /** Whether only a person can fix it (new credentials or settings), rather than time. */
    public boolean needsAttention() {
        return needsAttention;
    }
}
