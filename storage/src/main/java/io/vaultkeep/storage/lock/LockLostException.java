package io.vaultkeep.storage.lock;

import java.io.IOException;

/** The writer lock was taken over (it expired unrefreshed): the run must not commit. */
public final class LockLostException extends IOException {
    public LockLostException(String message) {
        super(message);
    }
}
