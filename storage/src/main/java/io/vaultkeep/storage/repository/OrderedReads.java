package io.vaultkeep.storage.repository;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs read tasks with at most {@code readers} at a time and hands their results back in the order
 * the tasks were given, so a report reads the same whatever the parallelism. At most twice
 * {@code readers} tasks are started ahead of the one whose result is awaited next: a slow object holds
 * back the reads after it, never memory. The first task in that order that fails is the one reported
 * (as a serial reader would have stopped there); the tasks started after it are cancelled.
 *
 * <p>A plain executor of daemon threads, created per run and shut down after it: the repository
 * commands run no actor system, and storage stays free of one.
 */
public final class OrderedReads implements AutoCloseable {

    /** A read of one object, or of several that belong together, that may fail on I/O. */
    @FunctionalInterface
    public interface Read<T> {
        T run() throws IOException;
    }

    /** Readers unless a caller asks otherwise: few enough for any WebDAV server's connection limit. */
    public static final int DEFAULT_READERS = 4;

    /**
     * Readers for a location unless a caller asks otherwise. A server's are {@link #DEFAULT_READERS}: they wait on the
     * network more than they compute. A local folder's wait on little but the processors, so more readers than
     * cores only hold more objects in memory at once (on 2 cores, 4 readers of a check held 20 MB more than 2, for
     * the same time): as many as there are cores, from 2 (reading one object while the next is decrypted) to
     * {@link #DEFAULT_READERS}.
     */
    public static int defaultReaders(boolean localFolder, int processors) {
        return localFolder ? Math.max(2, Math.min(DEFAULT_READERS, processors)) : DEFAULT_READERS;
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int readers;
    private final ExecutorService executor;

    public OrderedReads(int readers) {
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be at least 1: " + readers);
        }
        this.readers = readers;
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = readers == 1 ? null : Executors.newFixedThreadPool(readers, task -> {
            Thread thread = new Thread(task, "vaultkeep-reader-" + pool + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Each read's result, in the order of {@code reads}.
     *
     * @throws IOException the failure of the first read (in that order) that failed
     */
    public <T> List<T> inOrder(List<? extends Read<T>> reads) throws IOException {
        List<T> results = new ArrayList<>(reads.size());
        if (executor == null) {
            for (Read<T> read : reads) {
                results.add(read.run());
            }
            return results;
        }
        Iterator<? extends Read<T>> next = reads.iterator();
        Deque<Future<T>> started = new ArrayDeque<>();
        try {
            while (next.hasNext() || !started.isEmpty()) {
                while (next.hasNext() && started.size() < 2 * readers) {
                    Read<T> read = next.next();
                    started.add(executor.submit(() -> {
                        try {
                            return read.run();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
                }
                results.add(await(started.removeFirst()));
            }
            return results;
        } finally {
            started.forEach(f -> f.cancel(true));
        }
    }

    private static <T> T await(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the repository");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
