package io.vaultkeep.storage.repository;

/** The location holds no repository ({@code repo.zip} is not there): one must be created first. */
public final class NoRepositoryException extends RepositoryException {
    public NoRepositoryException(String message) {
        super(message);
    }
}
