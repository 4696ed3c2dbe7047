package io.vaultkeep.engine.host;

import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what each account's location holds, for the metrics: the snapshots kept and the bytes stored.
 * A listing of the location after each commit and prune (and when the account starts), one at a time
 * on its own thread, at most one pending per account however many notices come: it reads what is
 * there, so it also sees what a prune deleted and what another writer added.
 */
final class RepositoryCensus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RepositoryCensus.class);

    private final HostMetrics metrics;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "vaultkeep-repository-census");
        t.setDaemon(true);
        return t;
    });

    RepositoryCensus(HostMetrics metrics) {
        this.metrics = metrics;
    }

    /** Counts the account's location again, soon (nothing when a count of it is already waiting). */
    void count(String accountId, AccountSettings.LocationOpener location) {
        if (!pending.add(accountId)) {
            return;
        }
        try {
            thread.execute(() -> {
                pending.remove(accountId);
                try (ObjectStore store = location.open()) {
                    List<ObjectInfo> all = store.list("");
                    long snapshots = all.stream().filter(o -> o.key().startsWith("snapshots/") && o.key().endsWith(".zip")).count();
                    long bytes = all.stream().mapToLong(ObjectInfo::size).sum();
                    metrics.repository(accountId, snapshots, bytes);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("account {}: the location could not be counted for the metrics: {}", accountId, e.toString());
                }
            });
        } catch (RejectedExecutionException closing) {
            pending.remove(accountId); // the host stops
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
