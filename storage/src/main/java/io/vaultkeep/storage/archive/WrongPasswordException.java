package io.vaultkeep.storage.archive;


/** Thrown when the password does not open this archive. The message names the object, never a password. */
public final class WrongPasswordException extends ArchiveException {
    public WrongPasswordException(String message) {
        super(message);
    }

    public WrongPasswordException(String message, Throwable cause) {
        super(message, cause);
    }
}
