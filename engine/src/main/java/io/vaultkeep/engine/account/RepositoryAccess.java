package io.vaultkeep.engine.account;

import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.storage.lock.LockRule;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexCache;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account's repository opened for one piece of work, closed with it: the store, and the
 * repository (which wipes its copy of the password on close).
 */
final class RepositoryAccess implements AutoCloseable {

    private static final ZipCodec CODEC = new Zip4jCodec();
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryAccess.class);

    private final ObjectStore store;
    private final BackupRepository repository;

    private RepositoryAccess(ObjectStore store, BackupRepository repository) {
        this.store = store;
        this.repository = repository;
    }

    /**
     * Opens the repository, creating it when the location has none (a run's first step), reading
     * each index once across the runs that share {@code indexes}.
     */
    static RepositoryAccess openOrCreate(AccountSettings settings, Clock clock, IndexCache indexes) throws IOException {
        RepositoryAccess access = open(settings, clock, true);
        access.repository.rememberingIndexes(indexes);
        return access;
    }

    /** Opens an existing repository (recovery, prune). */
    static RepositoryAccess open(AccountSettings settings, Clock clock) throws IOException {
        return open(settings, clock, false);
    }

    /** Whether the location holds a repository at all. */
    static boolean exists(AccountSettings settings) throws IOException {
        try (ObjectStore store = settings.location().open()) {
            return BackupRepository.exists(store);
        }
    }

    private static RepositoryAccess open(AccountSettings settings, Clock clock, boolean create) throws IOException {
        ObjectStore store = settings.location().open();
        try {
            BackupRepository repository = (create
                    ? BackupRepository.openOrCreate(store, CODEC, settings.backupPassword(), clock)
                    : BackupRepository.open(store, CODEC, settings.backupPassword(), clock))
                    .lockAs("vaultkeep host account " + settings.accountId(), LockRule.DEFAULT, LOG::warn);
            return new RepositoryAccess(store, repository);
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    BackupRepository repository() {
        return repository;
    }

    @Override
    public void close() throws IOException {
        repository.close();
        store.close();
    }
}
