package io.vaultkeep.storage.archive;

import java.io.IOException;

/**
 * An archive's bytes cannot be trusted or opened: the family of failures that mean "this object is
 * damaged or not what it should be", as opposed to the location failing to deliver it.
 */
public abstract sealed class ArchiveException extends IOException
        permits WrongPasswordException, CorruptArchiveException, ArchiveEntryMissingException, UnencryptedEntryException {

    protected ArchiveException(String message) {
        super(message);
    }

    protected ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
