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
    private final long started;
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
        this.started = nanoTime.getAsLong();
        this.lastDrawn = started;
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
        bytes.addAndGet(n);
        redrawIfDue();
    }

    void objectDone() {
        objects.incrementAndGet();
        redrawIfDue();
    }

    /** The line as it would be drawn now. */
    String line() {
        return new ProgressLine(label, objects.get(), objectsTotal, bytes.get(), bytesTotal,
                Duration.ofNanos(nanoTime.getAsLong() - started)).render(width);
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
