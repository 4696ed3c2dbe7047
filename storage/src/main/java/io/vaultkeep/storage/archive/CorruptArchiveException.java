package io.vaultkeep.storage.archive;


/** Thrown when the archive is damaged. The message names the object, never a password. */
public final class CorruptArchiveException extends ArchiveException {
    public CorruptArchiveException(String message) {
        super(message);
    }

    public CorruptArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
