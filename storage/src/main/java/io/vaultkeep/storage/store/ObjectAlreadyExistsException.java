package io.vaultkeep.storage.store;

import java.io.IOException;

/** A create-only write found an object already in place; the existing object is untouched. */
public final class ObjectAlreadyExistsException extends IOException {
    public ObjectAlreadyExistsException(String key) {
        super("object already exists: " + key);
    }
}
