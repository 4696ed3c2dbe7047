package io.vaultkeep.storage.repository;

import java.io.IOException;

/** The repository cannot be used as asked: not a repository, unsupported, wrong mode, conflicting. */
public class RepositoryException extends IOException {
    public RepositoryException(String message) {
        super(message);
    }

    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
