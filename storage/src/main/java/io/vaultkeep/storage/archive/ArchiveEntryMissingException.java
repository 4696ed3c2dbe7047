package io.vaultkeep.storage.archive;

import java.io.IOException;

/** Thrown when an expected entry is missing. The message names the object, never a password. */
public final class ArchiveEntryMissingException extends IOException {
    public ArchiveEntryMissingException(String message) {
        super(message);
    }

    public ArchiveEntryMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
