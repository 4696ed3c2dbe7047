package io.vaultkeep.storage.repository;

/** A repository was to be created where one exists (perhaps created a moment ago by another writer). */
public final class RepositoryExistsException extends RepositoryException {
    public RepositoryExistsException(String message) {
        super(message);
    }
}
