package io.vaultkeep.storage.archive;

import java.io.IOException;

/** Thrown when the archive is damaged. The message names the object, never a password. */
public final class CorruptArchiveException extends IOException {
    public CorruptArchiveException(String message) {
        super(message);
    }

    public CorruptArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
