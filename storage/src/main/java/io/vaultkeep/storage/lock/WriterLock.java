package io.vaultkeep.storage.lock;

import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The repository's writer lock (invariant «one writer at a time where it can be known», docs/design.md): a run that
 * commits an index or deletes takes it before planning and holds it to its commit. A folder uses an
 * OS file lock, which the kernel releases when the holder dies; any other store a create-only lock
 * object with owner, host, pid and expiry, refreshed while held. Keyguard ignores the lock, so the
 * index merge must stay safe without it («heal, never brick»).
 */
public sealed interface WriterLock permits FolderLock, ObjectLock {

    /** The lock's key: a name Keyguard's reader skips (it lists only {@code indexes/}). */
    String KEY = "locks/writer.lock";

    /**
     * Takes the lock, waiting while another writer holds it, at most the rule's {@code maxWait}.
     *
     * @param owner what takes it, as waiting writers will name it (never a secret)
     * @throws RepositoryLockedException when the wait is over and the lock is still held
     */
    Holding acquire(String owner) throws IOException;

    /** A lock taken; closing releases it (idempotent). */
    interface Holding extends AutoCloseable {
        /**
         * Right before a commit (invariant «a lost lock commits nothing»).
         * @throws LockLostException when the lock is no longer this writer's
         */
        void verify() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The OS file lock for a folder, the lock object for anything else (a wrapped folder included). */
    static WriterLock forStore(ObjectStore store, LockRule rule, Clock clock, Consumer<String> warnings) {
        return store instanceof FolderStore folder
                ? new FolderLock(folder.root().resolve(KEY), folder.describe(), rule, clock)
                : new ObjectLock(store, rule, clock, warnings);
    }

    /** This machine's name for the lock document, or "unknown" when it has none to give. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
