package io.vaultkeep.storage.lock;

import java.io.IOException;

/** Another writer held the repository's lock for as long as this one would wait. */
public final class RepositoryLockedException extends IOException {
    public RepositoryLockedException(String message) {
        super(message);
    }
}
