package io.vaultkeep.storage.archive;

/**
 * A password was given but an entry is not encrypted. An encrypted repository never holds plain
 * entries, so such an archive is refused: it could be a forgery by someone who can write to the
 * location but does not know the password.
 */
public final class UnencryptedEntryException extends ArchiveException {
    public UnencryptedEntryException(String message) {
        super(message);
    }

    public UnencryptedEntryException(String message, Throwable cause) {
        super(message, cause);
    }
}
