package io.vaultkeep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;

/** Machine facts and timing statistics for benchmark output. */
public final class BenchReport {

    private BenchReport() {}

    public static String machine() {
        String cpu = "unknown cpu";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the JVM's facts still say enough
        }
        return String.format("%s; %d cores; %d MiB max heap; Java %s; %s; %s", cpu, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"), System.getProperty("os.name"),
                LocalDate.now());
    }

    /** Median of the samples. */
    public static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Median of one column of per-run rows. */
    public static double median(java.util.List<double[]> runs, int column) {
        return median(runs.stream().mapToDouble(run -> run[column]).toArray());
    }

    /** The load average as /proc/loadavg gives it, or "unknown". */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static double min(double[] samples) {
        return Arrays.stream(samples).min().orElse(Double.NaN);
    }

    public static String stats(double[] samples, String unit) {
        return String.format("median %.1f %s, min %.1f %s (n=%d)", median(samples), unit, min(samples), unit, samples.length);
    }

    /** Total bytes of regular files under a folder. */
    public static long treeSize(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
