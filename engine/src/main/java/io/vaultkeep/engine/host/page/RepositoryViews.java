package io.vaultkeep.engine.host.page;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The status pages' repository views, read on threads of their own (a location may be slow or
 * down: a page never waits on it longer than {@code wait}) and kept for a while. A view is read
 * again when it is older than {@code maxAge}, or when the account has committed a snapshot the
 * view does not have yet. One read per account at a time; a read that fails is shown as the
 * view's problem until the next.
 */
public final class RepositoryViews implements AutoCloseable {

    /** Reads one account's repository; empty when the host has no such account. */
    @FunctionalInterface
    public interface Reader {
        Optional<RepositoryView> read(String accountId, Instant now) throws IOException;
    }

    private record Cached(RepositoryView view, long readAtNanos) {}

    private final Reader reader;
    private final Clock clock;
    private final Duration overviewMaxAge;
    private final Duration pageMaxAge;
    private final Duration wait;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Optional<RepositoryView>>> reading = new ConcurrentHashMap<>();
    private final ExecutorService readers;

    /**
     * @param overviewMaxAge how long the overview shows a view before it is read again
     * @param pageMaxAge     the same for an account's own page (which waits for the read)
     * @param wait           how long an account's page waits for a read
     */
    public RepositoryViews(Reader reader, Clock clock, Duration overviewMaxAge, Duration pageMaxAge, Duration wait, int threads) {
        this.reader = reader;
        this.clock = clock;
        this.overviewMaxAge = overviewMaxAge;
        this.pageMaxAge = pageMaxAge;
        this.wait = wait;
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vaultkeep-page-reads-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.readers = pool;
    }

    /**
     * What is at hand for the overview, without waiting; a read is started when there is none or
     * it is stale. {@code newestSnapshotId}: the account's last commit, as its status says.
     */
    public Optional<RepositoryView> cached(String accountId, String newestSnapshotId) {
        Cached cached = cache.get(accountId);
        if (cached == null || stale(cached, newestSnapshotId, overviewMaxAge)) {
            read(accountId);
        }
        return cached == null ? Optional.empty() : Optional.of(cached.view);
    }

    /**
     * A current view for the account's page: the cached one when fresh, else a new read, waited
     * for up to {@code wait}; a read that takes longer (or fails) is shown as the problem.
     *
     * @return empty when the host has no such account
     */
    public Optional<RepositoryView> current(String accountId, String newestSnapshotId) {
        Cached cached = cache.get(accountId);
        if (cached != null && !stale(cached, newestSnapshotId, pageMaxAge)) {
            return Optional.of(cached.view);
        }
        CompletableFuture<Optional<RepositoryView>> read = read(accountId);
        try {
            return read.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of(RepositoryView.unreadable(clock.instant(), 0,
                    "the repository's location did not answer within "
                    + (wait.toMillis() >= 1000 ? wait.toSeconds() + " s" : wait.toMillis() + " ms") + "; the page shows it when it does"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(RepositoryView.unreadable(clock.instant(), 0, "interrupted while reading the repository"));
        } catch (ExecutionException e) {
            return Optional.of(RepositoryView.unreadable(clock.instant(), 0, String.valueOf(e.getCause())));
        }
    }

    /** Too old, or (when it could be read) without the account's newest commit. */
    private static boolean stale(Cached cached, String newestSnapshotId, Duration maxAge) {
        boolean old = System.nanoTime() - cached.readAtNanos > maxAge.toNanos();
        boolean behind = newestSnapshotId != null && cached.view.exists()
                && !Objects.equals(cached.view.newest().map(RepositoryView.SnapshotRow::id).orElse(null), newestSnapshotId);
        return old || behind;
    }

    private CompletableFuture<Optional<RepositoryView>> read(String accountId) {
        return reading.computeIfAbsent(accountId, id -> {
            CompletableFuture<Optional<RepositoryView>> future = new CompletableFuture<>();
            try {
                readers.execute(() -> {
                    Optional<RepositoryView> view;
                    try {
                        view = reader.read(id, clock.instant());
                    } catch (IOException | RuntimeException e) {
                        // the message names the location and what failed; the reader never puts a secret in it
                        view = Optional.of(RepositoryView.unreadable(clock.instant(), 0,
                                "the repository could not be read: " + e.getMessage()));
                    }
                    if (view.isPresent()) {
                        cache.put(id, new Cached(view.get(), System.nanoTime()));
                    } else {
                        cache.remove(id);
                    }
                    reading.remove(id);
                    future.complete(view);
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                future.complete(Optional.empty()); // the host stops: no more reads
            }
            return future;
        });
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
