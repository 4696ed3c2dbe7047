package io.vaultkeep.storage.repository;

/** A password was given for a plain repository, or none for an encrypted one. */
public final class PasswordModeException extends RepositoryException {
    public PasswordModeException(String message) {
        super(message);
    }
}
