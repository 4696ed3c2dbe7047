package io.vaultkeep.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A store that passes every call on to another: subclasses override what they watch or change (a
 * progress count, a test's injected failure). {@link #close()} is not passed on: the wrapper does
 * not own the store unless a subclass says so.
 */
public class DelegatingStore implements ObjectStore {
    protected final ObjectStore delegate;

    public DelegatingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override public ObjectInfo create(String key, ObjectContent content) throws IOException { return delegate.create(key, content); }
    @Override public ObjectInfo replace(String key, ObjectContent content) throws IOException { return delegate.replace(key, content); }
    @Override public InputStream read(String key) throws IOException { return delegate.read(key); }
    @Override public byte[] readRange(String key, long offset, int length) throws IOException { return delegate.readRange(key, offset, length); }
    @Override public Optional<ObjectInfo> stat(String key) throws IOException { return delegate.stat(key); }
    @Override public List<ObjectInfo> list(String prefix) throws IOException { return delegate.list(prefix); }
    @Override public boolean delete(String key) throws IOException { return delegate.delete(key); }
    @Override public int cleanTemporaryFiles(long olderThanMillis) throws IOException { return delegate.cleanTemporaryFiles(olderThanMillis); }
    @Override public String describe() { return delegate.describe(); }
}
