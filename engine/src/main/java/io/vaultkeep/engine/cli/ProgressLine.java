package io.vaultkeep.engine.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * The one line of progress shown on a terminal during long work, rendered from counts alone (pure):
 * {@code restore: 3/10 objects, 1.2 MiB/4.0 MiB (30%), 600.0 KiB/s, ETA 0:05}. A total that is not
 * known (-1) is left out, and with it the percentage and the ETA.
 */
record ProgressLine(String label, long objectsDone, long objectsTotal, long bytesDone, long bytesTotal, Duration elapsed) {

    /** Below this much elapsed time a rate would be noise. */
    private static final Duration SETTLED = Duration.ofMillis(500);

    String render(int width) {
        StringBuilder line = new StringBuilder(label).append(": ").append(objectsDone);
        if (objectsTotal >= 0) {
            line.append('/').append(objectsTotal);
        }
        line.append(objectsTotal == 1 ? " object" : " objects").append(", ").append(RepositoryCommand.bytes(bytesDone));
        if (bytesTotal >= 0) {
            line.append('/').append(RepositoryCommand.bytes(bytesTotal));
            if (bytesTotal > 0) {
                line.append(" (").append(Math.min(100, bytesDone * 100 / bytesTotal)).append("%)");
            }
        }
        if (elapsed.compareTo(SETTLED) >= 0) {
            double perSecond = bytesDone / (elapsed.toNanos() / 1e9);
            line.append(", ").append(RepositoryCommand.bytes((long) perSecond)).append("/s");
            if (bytesTotal >= 0 && perSecond > 0 && bytesDone <= bytesTotal) {
                line.append(", ETA ").append(clock(Duration.ofSeconds((long) Math.ceil((bytesTotal - bytesDone) / perSecond))));
            }
        }
        return line.length() < width ? line.toString() : line.substring(0, Math.max(0, width - 1));
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
