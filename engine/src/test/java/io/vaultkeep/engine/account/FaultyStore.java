package io.vaultkeep.engine.account;

import io.vaultkeep.storage.store.LocationFullException;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real store whose creates under one prefix fail as a full disk would, until healed. */
final class FaultyStore implements ObjectStore {

    private final ObjectStore real;
    private final String failingPrefix;
    private final AtomicBoolean failing;

    FaultyStore(ObjectStore real, String failingPrefix, AtomicBoolean failing) {
        this.real = real;
        this.failingPrefix = failingPrefix;
        this.failing = failing;
    }

    @Override
    public ObjectInfo create(String key, ObjectContent content) throws IOException {
        if (failing.get() && key.startsWith(failingPrefix)) {
            throw new LocationFullException(real.describe(), new IOException("No space left on device"));
        }
        return real.create(key, content);
    }

    @Override
    public ObjectInfo replace(String key, ObjectContent content) throws IOException {
        return real.replace(key, content);
    }

    @Override
    public InputStream read(String key) throws IOException {
        return real.read(key);
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        return real.readRange(key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return real.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return real.list(prefix);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return real.delete(key);
    }

    @Override
    public int cleanTemporaryFiles(long olderThanMillis) throws IOException {
        return real.cleanTemporaryFiles(olderThanMillis);
    }

    @Override
    public String describe() {
        return real.describe();
    }
}
