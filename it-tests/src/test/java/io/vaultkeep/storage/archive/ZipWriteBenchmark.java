package io.vaultkeep.storage.archive;

import io.vaultkeep.bench.BenchReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vaultkeep.bench.BenchVaults;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;

/**
 * Issue 17: the time to write a snapshot archive (a small manifest, then a 6.3 MB vault) with the
 * vault deflated as one stream or in chunks on helper threads, each in fresh JVMs on C1 only (as
 * the launcher runs one-shot commands) and with default tiered compilation: cold (the first write
 * in the JVM, class loading and PBKDF2 included) and warm (the median of the next ones). In this
 * package (on the class path) to reach the writer's chunk size, which is not public.
 *
 * <p>{@code scripts/bench zip-write [RUNS]}; VAULTKEEP_JAVA picks the JVM the children run on.
 */
public final class ZipWriteBenchmark {

    private static final int VAULT_BYTES = 6_300_000;
    private static final int WARM_WRITES = 15;
    private static final char[] PASSWORD = "q3VfR0cT1kX2m9sZb7LwYp4nHe8GdAuJ6oIxE5vNr0c=".toCharArray();
    private static final int[] CHUNK_SIZES = {0, 256 * 1024, 512 * 1024, 1024 * 1024};

    private ZipWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String java = System.getenv().getOrDefault("VAULTKEEP_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        System.out.println("java: " + java + "; " + Runtime.getRuntime().availableProcessors() + " processors; "
                + runs + " fresh JVMs per case; load before: " + BenchReport.loadAverage());
        for (String jit : List.of("C1 only", "tiered")) {
            Map<Integer, List<double[]>> results = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                for (int chunk : CHUNK_SIZES) { // interleaved, so load drifts hit every case alike
                    results.computeIfAbsent(chunk, c -> new ArrayList<>()).add(runChild(java, jit, chunk));
                }
            }
            for (Map.Entry<Integer, List<double[]>> entry : results.entrySet()) {
                List<double[]> r = entry.getValue();
                System.out.printf("%-8s %-20s cold %6.1f ms (CPU %4.0f, caller %6.1f)  warm %6.1f ms (CPU %4.0f,"
                                + " caller %6.1f)  (medians of %d JVMs; archive %,d bytes)%n",
                        jit, entry.getKey() == 0 ? "single stream" : "chunks of " + entry.getKey() / 1024 + " KiB",
                        BenchReport.median(r, 0), BenchReport.median(r, 3), BenchReport.median(r, 5),
                        BenchReport.median(r, 1), BenchReport.median(r, 4), BenchReport.median(r, 6), r.size(),
                        (long) r.get(0)[2]);
            }
        }
        System.out.println("load after: " + BenchReport.loadAverage());
    }

    private static double[] runChild(String java, String jit, int chunk) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms256m", "-XX:-UsePerfData"));
        if (jit.equals("C1 only")) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ZipWriteBenchmark.class.getName(),
                "child", Integer.toString(chunk)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the child failed: " + output);
        }
        return Arrays.stream(output.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * Prints: cold ms, warm median ms, archive bytes, the process's CPU ms for the cold write and the warm median, and
     * the same for the calling thread's CPU alone: what the write costs the caller when helpers have a core to run on.
     */
    private static void child(int chunk) throws IOException {
        byte[] vault = vault();
        byte[] manifest = "{\"formatVersion\":1,\"vault\":\"vault.json\"}".getBytes(StandardCharsets.UTF_8);
        List<EntrySource> entries = List.of(EntrySource.ofBytes("manifest.json", manifest),
                EntrySource.ofBytes("vault.json", vault));
        long[] size = new long[1];
        cpuMillis(); // the management beans' own loading is no part of the cold write
        callerMillis();
        double coldCpu = -cpuMillis();
        double coldCaller = -callerMillis();
        double cold = write(entries, chunk, size);
        coldCaller += callerMillis();
        coldCpu += cpuMillis();
        double[] warm = new double[WARM_WRITES];
        double[] warmCpu = new double[WARM_WRITES];
        double[] warmCaller = new double[WARM_WRITES];
        for (int i = 0; i < warm.length; i++) {
            warmCpu[i] = -cpuMillis();
            warmCaller[i] = -callerMillis();
            warm[i] = write(entries, chunk, size);
            warmCaller[i] += callerMillis();
            warmCpu[i] += cpuMillis();
        }
        Arrays.sort(warm);
        Arrays.sort(warmCpu);
        Arrays.sort(warmCaller);
        System.out.println(cold + " " + warm[warm.length / 2] + " " + size[0] + " " + coldCpu + " "
                + warmCpu[warmCpu.length / 2] + " " + coldCaller + " " + warmCaller[warmCaller.length / 2]);
    }

    private static double write(List<EntrySource> entries, int chunk, long[] size) throws IOException {
        long started = System.nanoTime();
        CountingOutputStream counting = new CountingOutputStream(OutputStream.nullOutputStream());
        // as Zip4jCodec writes: through a 64 KiB buffer
        OutputStream out = new BufferedOutputStream(counting, Zip4jCodec.BUFFER_SIZE);
        AesZipWriter.write(out, entries, PASSWORD, System.currentTimeMillis(), chunk);
        out.flush();
        size[0] = counting.count();
        return (System.nanoTime() - started) / 1e6;
    }

    /** The whole process's CPU time (JIT compiler threads included: on C1 they are part of the cold cost). */
    private static double cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }

    private static double callerMillis() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6;
    }

    private static byte[] vault() {
        int perItem = BenchVaults.exportJson(200, 1).length / 200;
        byte[] vault = BenchVaults.exportJson(VAULT_BYTES / perItem, 1);
        return vault;
    }
}
