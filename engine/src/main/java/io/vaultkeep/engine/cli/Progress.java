package io.vaultkeep.engine.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts objects and bytes of long work and redraws its {@link ProgressLine} on stderr, at most a few
 * times a second, over itself ({@code \r}); {@link #finish()} clears it so the command's own output
 * starts on a clean line. Safe to count from several threads (reads may run in parallel).
 * {@link #off()} counts and shows nothing: not a terminal, {@code --quiet} or {@code --json}.
 */
final class Progress {

    private static final long REDRAW_NANOS = Duration.ofMillis(200).toNanos();

    private final String label;
    private final PrintWriter err;
    private final int width;
    private final LongSupplier nanoTime;
    /** When the first byte was counted: the rate is of the work, not of opening the repository before it. */
    private volatile long started = -1;
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long objectsTotal = -1;
    private volatile long bytesTotal = -1;
    private long lastDrawn;
    private int drawnLength;

    Progress(String label, PrintWriter err, int width, LongSupplier nanoTime) {
        this.label = label;
        this.err = err;
        this.width = width;
        this.nanoTime = nanoTime;
        this.lastDrawn = nanoTime.getAsLong();
    }

    static Progress off() {
        return new Progress("", null, 0, () -> 0L);
    }

    boolean shown() {
        return err != null;
    }

    /** The totals, once known (-1: unknown). */
    void expect(long objectCount, long byteCount) {
        objectsTotal = objectCount;
        bytesTotal = byteCount;
    }

    void bytes(long n) {
        if (started < 0) {
            startClock();
        }
        bytes.addAndGet(n);
        redrawIfDue();
    }

    void objectDone() {
        objects.incrementAndGet();
        redrawIfDue();
    }

    private synchronized void startClock() {
        if (started < 0) {
            started = nanoTime.getAsLong();
        }
    }

    /** The line as it would be drawn now. */
    String line() {
        long since = started;
        return new ProgressLine(label, objects.get(), objectsTotal, bytes.get(), bytesTotal,
                Duration.ofNanos(since < 0 ? 0 : nanoTime.getAsLong() - since)).render(width);
    }

    private void redrawIfDue() {
        if (err == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (now - lastDrawn < REDRAW_NANOS) {
                return;
            }
            lastDrawn = now;
            String line = line();
            // pad over what a longer line before left
            err.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
            err.flush();
            drawnLength = line.length();
        }
    }

    /** Clears the line, if one was drawn. */
    synchronized void finish() {
        if (err != null && drawnLength > 0) {
            err.print("\r" + " ".repeat(drawnLength) + "\r");
            err.flush();
            drawnLength = 0;
        }
    }
}
