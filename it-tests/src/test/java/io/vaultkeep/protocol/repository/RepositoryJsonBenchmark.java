package io.vaultkeep.protocol.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vaultkeep.bench.BenchReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 17: the cold cost of the repository documents in a fresh JVM on C1 only with the serial
 * collector (as the launcher runs one-shot commands): read an index of 30 snapshots, write it,
 * write and read a snapshot manifest, read a repo document, in that order, through databind (as
 * before) or through the streaming codecs. jackson-core and java.time are loaded before the clock
 * starts in both cases, as a backup's export scan has loaded them by then. In this package (on the
 * class path) to reach the databind path, which is not public.
 *
 * <p>{@code scripts/bench repository-json [RUNS]}; VAULTKEEP_JAVA picks the JVM the children run on.
 */
public final class RepositoryJsonBenchmark {

    private static final List<String> CASES = List.of("databind", "codecs");
    private static final String[] STEPS = {"read index", "write index", "write+read manifest", "read repo", "total"};

    private RepositoryJsonBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], Path.of(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String java = System.getenv().getOrDefault("VAULTKEEP_JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path inputs = Files.createTempDirectory("repository-json-bench");
        Files.write(inputs.resolve("index.json"), RepositoryJson.write(index(30)));
        Files.write(inputs.resolve("repo.json"), RepositoryJson.write(RepoDocument.create("r-1", Instant.now(), true)));
        System.out.println("java: " + java + "; " + Runtime.getRuntime().availableProcessors() + " processors; "
                + runs + " fresh JVMs per case (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC); index "
                + Files.size(inputs.resolve("index.json")) + " bytes; load before: " + BenchReport.loadAverage());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (String c : CASES) { // interleaved, so load drifts hit both cases alike
                results.computeIfAbsent(c, k -> new ArrayList<>()).add(runChild(java, c, inputs));
            }
        }
        for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-9s", entry.getKey()));
            for (int step = 0; step < STEPS.length; step++) {
                line.append(String.format("  %s %6.1f ms", STEPS[step], BenchReport.median(entry.getValue(), step)));
            }
            line.append(String.format("  (process CPU %6.1f ms; medians of %d JVMs)",
                    BenchReport.median(entry.getValue(), STEPS.length), entry.getValue().size()));
            System.out.println(line);
        }
        System.out.println("load after: " + BenchReport.loadAverage());
        for (String name : List.of("index.json", "repo.json")) {
            Files.delete(inputs.resolve(name));
        }
        Files.delete(inputs);
    }

    private static double[] runChild(String java, String c, Path inputs) throws IOException, InterruptedException {
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), RepositoryJsonBenchmark.class.getName(),
                "child", c, inputs.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the child failed: " + output);
        }
        return Arrays.stream(output.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** Prints the wall ms of each step, their total, and the process's CPU ms over them (JIT threads included). */
    private static void child(String c, Path inputs) throws Exception {
        boolean databind = c.equals("databind");
        byte[] indexJson = Files.readAllBytes(inputs.resolve("index.json"));
        byte[] repoJson = Files.readAllBytes(inputs.resolve("repo.json"));
        SnapshotManifest manifest = manifest();
        // what a backup has used before its first repository document: jackson-core's byte parser (the export
        // scan), java.time, lambdas
        try (JsonParser parser = new JsonFactory().createParser("{\"a\":[1,\"b\"]}".getBytes(StandardCharsets.UTF_8))) {
            while (parser.nextToken() != null) {
                parser.getText();
            }
        }
        Instant.parse(Instant.now().toString());
        Runnable lambda = () -> Thread.onSpinWait();
        lambda.run();
        cpuMillis();
        double cpu = -cpuMillis();
        double[] times = new double[STEPS.length + 1];
        long started = System.nanoTime();
        IndexDocument index = databind ? RepositoryJson.readWithDatabind(indexJson, IndexDocument.class, "index")
                : RepositoryJson.read(indexJson, IndexDocument.class, "index");
        long t1 = System.nanoTime();
        byte[] written = databind ? RepositoryJson.writeWithDatabind(index) : RepositoryJson.write(index);
        long t2 = System.nanoTime();
        byte[] manifestJson = databind ? RepositoryJson.writeWithDatabind(manifest) : RepositoryJson.write(manifest);
        SnapshotManifest manifestRead = databind
                ? RepositoryJson.readWithDatabind(manifestJson, SnapshotManifest.class, "manifest")
                : RepositoryJson.read(manifestJson, SnapshotManifest.class, "manifest");
        long t3 = System.nanoTime();
        RepoDocument repo = databind ? RepositoryJson.readWithDatabind(repoJson, RepoDocument.class, "repo")
                : RepositoryJson.read(repoJson, RepoDocument.class, "repo");
        long t4 = System.nanoTime();
        cpu += cpuMillis();
        if (!Arrays.equals(written, indexJson) || !manifestRead.equals(manifest) || repo.repoId() == null) {
            throw new IllegalStateException("the documents did not survive the round trip");
        }
        times[0] = (t1 - started) / 1e6;
        times[1] = (t2 - t1) / 1e6;
        times[2] = (t3 - t2) / 1e6;
        times[3] = (t4 - t3) / 1e6;
        times[4] = (t4 - started) / 1e6;
        times[5] = cpu;
        StringBuilder out = new StringBuilder();
        for (double time : times) {
            out.append(time).append(' ');
        }
        System.out.println(out.toString().trim());
    }

    /** An index as a busy account's: {@code snapshots} snapshots, each with an encrypted ZIP and a blob. */
    private static IndexDocument index(int snapshots) {
        Instant at = Instant.parse("2026-12-07T01:00:00.123Z");
        Map<String, SnapshotEntry> entries = new LinkedHashMap<>();
        Map<String, AttachmentEntry> attachments = new LinkedHashMap<>();
        Map<String, BlobEntry> blobs = new LinkedHashMap<>();
        for (int i = 0; i < snapshots; i++) {
            String id = "202612070" + (10000 + i) + "-6f1d2c3b-3333-4a5b-9c8d-7e6f5a4b" + (1000 + i);
            String blob = "b" + i + "-9f93ef-16d4-46fd-a749-b8c7ba8a9f4f";
            entries.put(id, new SnapshotEntry("snapshots/" + id + ".zip", at.plusSeconds(i * 60L), 4_000_000 + i,
                    List.of(blob), ObjectEncryption.zipAes256("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="),
                    new SnapshotStats(5000, 3, 0, 1, 2)));
            if (i % 10 == 0) {
                attachments.put("fp" + i, new AttachmentEntry(blob, 65L, at, at));
                blobs.put(blob, new BlobEntry("blobs/" + blob + ".zip", 65L, 199L, at, at, at,
                        ObjectEncryption.zipAes256("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")));
            }
        }
        return new IndexDocument(1, "636a27aa-3c3c-4cda-b8ce-8fa3d550296c", 30, List.of("c03d1456-8689-48c2-9045"),
                at, entries, attachments, blobs, Map.of());
    }

    private static SnapshotManifest manifest() {
        List<ManifestAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            attachments.add(new ManifestAttachment("alice", "c-" + i, "c-" + i, "att-" + i, "file " + i + ".txt", 65L,
                    "fp" + i, "b" + i, "blobs/b" + i + ".zip", "attachments/att-" + i + "/file " + i + ".txt"));
        }
        return new SnapshotManifest(1, "20261207010000-6f1d2c3b", Instant.parse("2026-12-07T01:00:00.123Z"),
                new SnapshotManifest.Options(true), new SnapshotManifest.VaultRef("vault.json", 4_000_000), attachments,
                new SnapshotStats(5000, 3, 0, 1, 2));
    }

    private static double cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }
}
