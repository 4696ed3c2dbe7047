package io.vaultkeep.storage.store;

import java.io.IOException;

public final class ObjectNotFoundException extends IOException {
    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
    }
}
