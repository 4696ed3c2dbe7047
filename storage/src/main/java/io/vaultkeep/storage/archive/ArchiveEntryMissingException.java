package io.vaultkeep.storage.archive;


/** Thrown when an expected entry is missing. The message names the object, never a password. */
public final class ArchiveEntryMissingException extends ArchiveException {
    public ArchiveEntryMissingException(String message) {
        super(message);
    }

    public ArchiveEntryMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
