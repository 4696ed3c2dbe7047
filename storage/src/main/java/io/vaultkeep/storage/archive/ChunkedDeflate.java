package io.vaultkeep.storage.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

/**
 * Deflates one large write in chunks, pigz-style: each chunk by its own raw {@link Deflater}
 * primed with the 32 KiB before it (so matches still reach back across the boundary) and ended
 * with {@link Deflater#SYNC_FLUSH} (so the chunks concatenate into one DEFLATE stream, byte-aligned
 * and not final). The caller's thread hands the chunks' output to a sink in order and compresses
 * chunks itself whenever the next one in order is not ready yet, so helper threads only ever add
 * speed: with none free, the caller does all the work, at the cost of one single stream.
 *
 * <p>At most {@link #IN_FLIGHT} chunks are claimed and not yet handed on, so the compressed
 * plaintext held in memory stays a few chunks; it is never written anywhere but the sink.
 */
final class ChunkedDeflate {

    /** Writes below this go through one stream: for them the helpers' start-up would cost more than it saves. */
    static final int THRESHOLD = 1024 * 1024;
    /**
     * A 6.3 MB vault in 13: enough chunks for two threads to take turns, few enough that each costs
     * little (its sync marker, its restart); 256 KiB to 1 MiB measured alike within a loaded
     * machine's noise (docs/BENCHMARKS.md, issue 17, 2026-12-07).
     */
    static final int CHUNK_SIZE = 512 * 1024;
    /** DEFLATE's window: how far back a match may reach, so how much of the preceding input primes a chunk. */
    static final int WINDOW = 32 * 1024;
    private static final int IN_FLIGHT = 4;

    /** Receives each chunk's DEFLATE output, in order, on the caller's thread; it may change the bytes in place. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] deflated, int length) throws IOException;
    }

    /** Work for the caller's thread while the helpers compress the first chunks. */
    @FunctionalInterface
    interface Overlap {
        void run() throws IOException;
    }

    private final byte[] input;
    private final int offset;
    private final int length;
    private final byte[] dictionary;
    private final int level;
    private final int chunkSize;
    private final int count;
    private final AtomicInteger nextClaim = new AtomicInteger();
    private final AtomicInteger helpers = new AtomicInteger();
    private final byte[][] outputs;
    private final int[] outputLengths;
    private final Throwable[] failures;
    /** Output arrays already handed on (encrypted by then), for later chunks: garbage of one vault, not of two. */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private volatile int emitted;
    private volatile boolean cancelled;

    private ChunkedDeflate(byte[] input, int offset, int length, byte[] dictionary, int level, int chunkSize) {
        if (chunkSize < WINDOW) {
            throw new IllegalArgumentException("chunks of " + chunkSize + " bytes: at least a window, " + WINDOW);
        }
        if (dictionary.length > WINDOW) {
            throw new IllegalArgumentException("a dictionary of " + dictionary.length + " bytes: at most " + WINDOW);
        }
        this.input = input;
        this.offset = offset;
        this.length = length;
        this.dictionary = dictionary;
        this.level = level;
        this.chunkSize = chunkSize;
        this.count = (int) ((length + (long) chunkSize - 1) / chunkSize);
        this.outputs = new byte[count][];
        this.outputLengths = new int[count];
        this.failures = new Throwable[count];
    }

    /**
     * Deflates {@code input[offset, offset + length)} as a run of non-final DEFLATE blocks ending
     * byte-aligned, primed with {@code dictionary} (the up to 32 KiB of the stream before it; empty
     * at its start), into {@code sink}; runs {@code overlap} on this thread once helpers are at work.
     * When anything fails, helpers stop after the chunk they are on and the failure propagates.
     */
    static void deflate(byte[] input, int offset, int length, byte[] dictionary, int level, int chunkSize,
                        Overlap overlap, Sink sink) throws IOException {
        new ChunkedDeflate(input, offset, length, dictionary, level, chunkSize).run(overlap, sink);
    }

    /** How many helper threads are compressing now (for tests: none may be left working after a failure). */
    static int busyHelpers() {
        return Helpers.POOL.getActiveCount();
    }

    private void run(Overlap overlap, Sink sink) throws IOException {
        Deflater own = null;
        try {
            startHelpers();
            overlap.run();
            for (int next = 0; next < count; next++) {
                if (own == null && !isReady(next)) {
                    own = new Deflater(level, true); // only when this thread may have to compress
                }
                awaitOrHelp(next, own);
                byte[] deflated;
                int deflatedLength;
                synchronized (this) {
                    deflated = outputs[next];
                    deflatedLength = outputLengths[next];
                    outputs[next] = null;
                }
                sink.accept(deflated, deflatedLength);
                synchronized (this) {
                    spare.push(deflated);
                }
                emitted = next + 1;
                startHelpers();
            }
        } finally {
            cancelled = true;
            if (own != null) {
                own.end();
            }
        }
    }

    private synchronized boolean isReady(int chunk) {
        return outputs[chunk] != null || failures[chunk] != null;
    }

    /** Returns once chunk {@code next} is deflated, compressing unclaimed chunks here meanwhile. */
    private void awaitOrHelp(int next, Deflater own) throws IOException {
        while (true) {
            synchronized (this) {
                if (failures[next] != null) {
                    throw failed(next, failures[next]);
                }
                if (outputs[next] != null) {
                    return;
                }
            }
            int claimed = claim();
            if (claimed >= 0) {
                compress(claimed, own);
                continue;
            }
            // nothing left to claim: chunk `next` is on a helper, which is running, so this wait ends
            synchronized (this) {
                while (outputs[next] == null && failures[next] == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while deflating an entry");
                    }
                }
            }
        }
    }

    private static IOException failed(int chunk, Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new IOException("deflating chunk " + chunk + " of an entry failed", failure);
    }

    /** The next unclaimed chunk, or -1: none left, too many waiting to be handed on, or given up. */
    private int claim() {
        while (true) {
            int chunk = nextClaim.get();
            if (cancelled || chunk >= count || chunk >= emitted + IN_FLIGHT) {
                return -1;
            }
            if (nextClaim.compareAndSet(chunk, chunk + 1)) {
                return chunk;
            }
        }
    }

    private void startHelpers() {
        while (!cancelled && helpers.get() < Helpers.COUNT
                && nextClaim.get() < Math.min(count, emitted + IN_FLIGHT)) {
            helpers.incrementAndGet();
            try {
                Helpers.POOL.execute(this::help);
            } catch (RejectedExecutionException e) {
                helpers.decrementAndGet(); // this thread does the work instead
                return;
            }
        }
    }

    private void help() {
        Deflater deflater = null;
        try {
            int chunk;
            while ((chunk = claim()) >= 0) {
                if (deflater == null) {
                    deflater = new Deflater(level, true);
                }
                compress(chunk, deflater);
            }
        } finally {
            if (deflater != null) {
                deflater.end();
            }
            helpers.decrementAndGet();
        }
    }

    /** Deflates one claimed chunk with a deflater of this thread's, and records its output or its failure; never throws. */
    private void compress(int chunk, Deflater deflater) {
        int start = offset + chunk * chunkSize;
        int size = Math.min(chunkSize, offset + length - start);
        try {
            deflater.reset();
            if (chunk == 0) {
                if (dictionary.length > 0) {
                    deflater.setDictionary(dictionary);
                }
            } else {
                deflater.setDictionary(input, start - WINDOW, WINDOW); // chunkSize >= WINDOW
            }
            deflater.setInput(input, start, size);
            // zlib's bound for deflating `size` bytes, plus the sync marker: rarely grown
            byte[] out = outputArray(size + (size >>> 12) + (size >>> 14) + 64);
            int produced = 0;
            while (true) {
                int space = out.length - produced;
                int n = deflater.deflate(out, produced, space, Deflater.SYNC_FLUSH);
                produced += n;
                if (n < space) {
                    break; // a sync flush that leaves space over is complete
                }
                out = Arrays.copyOf(out, out.length * 2);
            }
            synchronized (this) {
                outputs[chunk] = out;
                outputLengths[chunk] = produced;
                notifyAll();
            }
        } catch (Throwable t) {
            synchronized (this) {
                failures[chunk] = t;
                notifyAll();
            }
        }
    }

    private synchronized byte[] outputArray(int length) {
        byte[] recycled = spare.poll();
        return recycled != null && recycled.length >= length ? recycled : new byte[length];
    }

    /** One small pool for the whole process: compression only helps up to the cores there are. */
    private static final class Helpers {
        static final int COUNT = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        static final ThreadPoolExecutor POOL = newPool();

        private static ThreadPoolExecutor newPool() {
            AtomicInteger numbers = new AtomicInteger();
            ThreadFactory factory = task -> {
                Thread thread = new Thread(task, "vaultkeep-deflate-" + numbers.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            ThreadPoolExecutor pool = new ThreadPoolExecutor(COUNT, COUNT, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), factory);
            pool.allowCoreThreadTimeOut(true); // an idle process keeps no helper threads
            return pool;
        }
    }
}
