package io.vaultkeep.storage.repository;

/** Two head indexes of the newest generation disagree about the same key; nothing is merged. */
public final class IndexConflictException extends RepositoryException {
    public IndexConflictException(String message) {
        super(message);
    }
}
