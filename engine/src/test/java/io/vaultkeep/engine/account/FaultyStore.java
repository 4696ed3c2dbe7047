package io.vaultkeep.engine.account;

import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.LocationFullException;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real store whose creates under one prefix fail as a full disk would, until healed. */
final class FaultyStore extends DelegatingStore {

    private final String failingPrefix;
    private final AtomicBoolean failing;

    FaultyStore(ObjectStore real, String failingPrefix, AtomicBoolean failing) {
        super(real);
        this.failingPrefix = failingPrefix;
        this.failing = failing;
    }

    @Override
    public ObjectInfo create(String key, ObjectContent content) throws IOException {
        if (failing.get() && key.startsWith(failingPrefix)) {
            throw new LocationFullException(delegate.describe(), new IOException("No space left on device"));
        }
        return delegate.create(key, content);
    }

}
