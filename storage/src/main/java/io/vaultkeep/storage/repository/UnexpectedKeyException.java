package io.vaultkeep.storage.repository;

/**
 * The catalogue names an object at a key that is not of the kind it should be (a snapshot entry
 * pointing at {@code repo.zip}, a blob entry whose path is not its id's): damage or a crafted index,
 * never followed.
 */
public class UnexpectedKeyException extends RepositoryException {
    public UnexpectedKeyException(String message) {
        super(message);
    }
}
