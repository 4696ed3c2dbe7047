package io.vaultkeep.engine.host;

import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;

/**
 * An account's location as its runs and prunes open it, counting the objects they write into the
 * host's metrics. Only creates count: {@code replace} is the writer lock's refresh, not a repository object.
 */
final class CountingStore extends DelegatingStore {

    private final String accountId;
    private final HostMetrics metrics;

    CountingStore(ObjectStore delegate, String accountId, HostMetrics metrics) {
        super(delegate);
        this.accountId = accountId;
        this.metrics = metrics;
    }

    @Override
    public ObjectInfo create(String key, ObjectContent content) throws IOException {
        ObjectInfo written = delegate.create(key, content);
        metrics.written(accountId, written.size());
        return written;
    }

    /** The account's store is opened for this wrapper alone: closing it closes the store. */
    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
