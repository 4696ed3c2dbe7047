package io.vaultkeep.storage.lock;

import io.vaultkeep.protocol.repository.LockDocument;
import io.vaultkeep.protocol.repository.MalformedDocumentException;
import io.vaultkeep.protocol.repository.RepositoryJson;
import io.vaultkeep.storage.store.ObjectAlreadyExistsException;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectNotFoundException;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The writer lock as an object ({@code locks/writer.lock}) in a store without OS locks, e.g. WebDAV:
 * taken by a create-only write, refreshed while held, deleted on release. A lock left by a holder
 * that died binds until its expiry; then the next writer takes it over, with a warning.
 *
 * <p>Taking the lock, by a create or by a takeover (of a stale lock, or of a released one a folder
 * lock left empty, which replaces the object), ends with a read-back after a pause: of two writers
 * that took it at once, the one whose token is in place holds it; the other waits again. A create
 * alone is not trusted: a WebDAV server may answer success to two racing create-only writes
 * (Apache mod_dav checks the destination, then renames over it). A holder checks
 * the token before its commit ({@link Holding#verify()}), so a writer that lost its lock while
 * stalled past the expiry commits nothing (invariant «a lost lock commits nothing», docs/design.md).
 */
final class ObjectLock implements WriterLock {

    private static final ScheduledExecutorService REFRESHER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "vaultkeep-lock-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private static final String HOST = WriterLock.hostName();

    private final ObjectStore store;
    private final LockRule rule;
    private final Clock clock;
    private final Consumer<String> warnings;

    ObjectLock(ObjectStore store, LockRule rule, Clock clock, Consumer<String> warnings) {
        this.store = store;
        this.rule = rule;
        this.clock = clock;
        this.warnings = warnings;
    }

    @Override
    public Holding acquire(String owner) throws IOException {
        String token = UUID.randomUUID().toString();
        long since = System.nanoTime(); // waiting is measured on the monotonic clock, expiry on the wall clock
        while (true) {
            LockDocument mine = rule.claim(owner, HOST, ProcessHandle.current().pid(), token, clock.instant());
            try {
                store.create(KEY, content(mine));
                // A server may let two racing creates both succeed (Apache mod_dav checks, then renames):
                // the lock is ours only if our token is still in place after a pause, as for a takeover.
                if (confirmed(token)) {
                    return new Held(mine);
                }
                continue;
            } catch (ObjectAlreadyExistsException taken) {
                // someone holds it, or held it and died: look at it
            }
            Optional<LockDocument> current = read();
            if (current.isEmpty()) {
                continue; // released between our create and our read: try again at once
            }
            LockRule.Found found = rule.judge(current.get(), clock.instant(), holderGone(current.get()));
            if (found instanceof LockRule.Held held) {
                if (rule.givesUp(Duration.ofNanos(System.nanoTime() - since))) {
                    throw locked(store.describe(), held.by());
                }
                pause(rule.poll());
                continue;
            }
            if (found instanceof LockRule.Stale stale) {
                warnings.accept("taking over the writer lock of " + store.describe() + " from " + stale.by().holder()
                        + (holderGone(stale.by()) ? ": that process is gone"
                                : ": it expired at " + stale.by().expiresAt() + " unrefreshed"));
            }
            store.replace(KEY, content(mine));
            if (confirmed(token)) {
                return new Held(mine);
            }
        }
    }

    /**
     * Whether the lock in place carries {@code token} after a pause: of writers whose writes of the
     * lock all succeeded at once, the one whose write landed last holds it. The pause outlasts a
     * racing write the server has already accepted; one slower still is caught by {@link Holding#verify()}.
     */
    private boolean confirmed(String token) throws IOException {
        pause(rule.poll());
        return read().map(l -> token.equals(l.token())).orElse(false);
    }

    /**
     * A holder on this very host whose process is gone (a host killed mid-run, restarted): its next
     * incarnation need not wait out the expiry. A reused pid only makes it wait, never take a live lock.
     */
    private static boolean holderGone(LockDocument lock) {
        return HOST.equals(lock.host()) && lock.pid() > 0 && lock.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(lock.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    static RepositoryLockedException locked(String where, LockDocument holder) {
        return new RepositoryLockedException("repository " + where + " is locked by " + holder.holder() + " since " + holder.acquiredAt());
    }

    static void pause(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the repository's writer lock");
        }
    }

    private static ObjectContent content(LockDocument lock) {
        return ObjectContent.ofBytes(RepositoryJson.write(lock));
    }

    /**
     * The lock in place: empty when there is none, {@link LockDocument#RELEASED} for an empty one (a
     * folder lock's file after its release); one that does not parse binds for an expiry from when it
     * was written.
     */
    private Optional<LockDocument> read() throws IOException {
        try (InputStream in = store.read(KEY)) {
            byte[] json = in.readAllBytes();
            return Optional.of(json.length == 0 ? LockDocument.RELEASED : RepositoryJson.read(json, LockDocument.class, KEY));
        } catch (ObjectNotFoundException gone) {
            return Optional.empty();
        } catch (MalformedDocumentException unreadable) {
            Optional<ObjectInfo> info = store.stat(KEY);
            Instant written = info.map(ObjectInfo::lastModified).orElse(clock.instant());
            return Optional.of(new LockDocument("an unreadable lock object", "unknown", 0, written,
                    written.plus(rule.expiry()), ""));
        }
    }

    /** This writer's holding: refreshed in the background until closed. */
    private final class Held implements Holding {
        private LockDocument mine;
        private volatile String lostTo;
        private final ScheduledFuture<?> refreshing;
        private boolean released;

        Held(LockDocument mine) {
            this.mine = mine;
            long every = rule.refreshEvery().toMillis();
            this.refreshing = REFRESHER.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized void refresh() {
            if (released || lostTo != null) {
                return;
            }
            try {
                lostTo = takenBy();
                if (lostTo != null) {
                    return;
                }
                mine = rule.refresh(mine, clock.instant());
                store.replace(KEY, content(mine));
            } catch (IOException | RuntimeException e) {
                // the next refresh tries again; the expiry leaves room for two failures
            }
        }

        @Override
        public synchronized void verify() throws IOException {
            if (lostTo == null) {
                lostTo = takenBy();
            }
            if (lostTo != null) {
                throw new LockLostException("the writer lock of " + store.describe() + " was taken over by " + lostTo
                        + " (this run outlived its expiry): nothing is committed");
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (released) {
                return;
            }
            released = true;
            refreshing.cancel(false);
            if (takenBy() == null) {
                store.delete(KEY);
            }
        }

        /** Null while the lock in place is this holding; else who has it now. */
        private String takenBy() throws IOException {
            Optional<LockDocument> current = read();
            if (current.isPresent() && mine.token().equals(current.get().token())) {
                return null;
            }
            return current.map(LockDocument::holder).orElse("nobody (it was deleted)");
        }
    }
}
