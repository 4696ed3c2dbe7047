package io.vaultkeep.storage.repository;

/** The newest index generation (or one of its heads) cannot be read: writing on top would lose what it lists. */
public final class DamagedIndexException extends RepositoryException {
    public DamagedIndexException(String message) {
        super(message);
    }
}
