package io.vaultkeep.bench;

import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.RepositoryObjects;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Issue 6's figures, against a real Apache mod_dav on loopback (http, Basic auth): blob upload
 * throughput as a ratio to {@code curl -T} of the same file, and the commit latency of one
 * 5,000-item snapshot on WebDAV against the folder store.
 *
 * <p>Run with {@code scripts/bench webdav [workdir]}. Prints figures; asserts nothing. Lives in the
 * test sources because the Apache launcher is the storage module's test code.
 */
public final class WebDavBenchmark {

    private static final int BLOB_BYTES = 64 * 1024 * 1024;
    private static final int ITEMS = 5_000;
    private static final int ROUNDS = 7;

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench")
                .resolve("webdav-" + UUID.randomUUID()));
        try (ApacheDav apache = ApacheDav.start()) {
            run(work, apache);
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static void run(Path work, ApacheDav apache) throws Exception {
        Path blob = work.resolve("blob.bin");
        byte[] random = new byte[BLOB_BYTES];
        new Random(11).nextBytes(random);
        Files.write(blob, random);
        System.out.println("machine: " + BenchReport.machine());
        System.out.printf("Apache %s on loopback, http, Basic auth; blob: %d MiB random bytes%n", apacheVersion(), BLOB_BYTES >> 20);

        double[] curl = new double[ROUNDS];
        for (int i = -1; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            curlUpload(blob, apache.url("curl-" + (i + 1) + ".bin"));
            if (i >= 0) {
                curl[i] = BLOB_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("curl -T (one PUT): %s%n", BenchReport.stats(curl, "MB/s"));

        try (ObjectStore store = WebDavStore.open(apache.url("raw"), ApacheDav.USER, ApacheDav.PASSWORD, null)) {
            double[] mbs = new double[ROUNDS];
            for (int i = -1; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                store.create("blob-" + (i + 1) + ".bin", ObjectContent.ofFile(blob));
                if (i >= 0) {
                    mbs[i] = BLOB_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
                }
            }
            System.out.printf("WebDavStore.create (temp PUT + size check + MOVE): %s; ratio to curl -T (medians): %.2f%n",
                    BenchReport.stats(mbs, "MB/s"), BenchReport.median(mbs) / BenchReport.median(curl));
        }

        for (boolean encrypted : new boolean[] {false, true}) {
            String mode = encrypted ? "encrypted" : "plain";
            try (ObjectStore store = WebDavStore.open(apache.url("blobs-" + mode), ApacheDav.USER, ApacheDav.PASSWORD, null)) {
                RepositoryObjects objects = new RepositoryObjects(store, new Zip4jCodec(),
                        encrypted ? "bench-password".toCharArray() : null);
                double[] mbs = new double[ROUNDS];
                for (int i = -1; i < ROUNDS; i++) {
                    ObjectEncryption encryption = objects.newObjectEncryption();
                    long t0 = System.nanoTime();
                    objects.createBlob(RepositoryPaths.blob(UUID.randomUUID().toString()), () -> Files.newInputStream(blob), encryption);
                    if (i >= 0) {
                        mbs[i] = BLOB_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
                    }
                }
                System.out.printf("repository blob write to WebDAV (%s: ZIP%s + upload): %s; ratio to curl -T (medians): %.2f%n",
                        mode, encrypted ? " AES-256" : "", BenchReport.stats(mbs, "MB/s"), BenchReport.median(mbs) / BenchReport.median(curl));
            }
        }

        byte[] vault = BenchVaults.exportJson(ITEMS, 42);
        for (boolean webDav : new boolean[] {false, true}) {
            for (boolean encrypted : new boolean[] {false, true}) {
                String mode = encrypted ? "encrypted" : "plain";
                ObjectStore store = webDav
                        ? WebDavStore.open(apache.url("commit-" + mode), ApacheDav.USER, ApacheDav.PASSWORD, null)
                        : FolderStore.open(work.resolve("commit-" + mode));
                double[] ms = commitTimes(store, encrypted ? "bench-password".toCharArray() : null, vault, ITEMS, 2, ROUNDS);
                System.out.printf("commit one snapshot (%s, %s, 5,000 items): %s%n", webDav ? "WebDAV" : "folder", mode,
                        BenchReport.stats(ms, "ms"));
            }
        }
        long requests = apache.accessLog().size();
        System.out.printf("requests Apache served in all: %,d%n", requests);
    }

    /**
     * The milliseconds of {@code rounds} backups of {@code vault} (each one snapshot committed) into a
     * repository created on {@code store}, after {@code warmUps} untimed ones.
     */
    static double[] commitTimes(ObjectStore store, char[] password, byte[] vault, int items, int warmUps, int rounds) throws Exception {
        try (BackupRepository repo = BackupRepository.create(store, new Zip4jCodec(), password, Clock.systemUTC())) {
            double[] ms = new double[rounds];
            for (int i = -warmUps; i < rounds; i++) {
                long t0 = System.nanoTime();
                repo.backup(new FetchedVault(vault, items, true, List.of(), 0));
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return ms;
        }
    }

    private static void curlUpload(Path file, String url) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-sS", "-f", "-T", file.toString(), "-u",
                ApacheDav.USER + ":" + new String(ApacheDav.PASSWORD), url)
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes());
        if (curl.waitFor() != 0) {
            throw new IOException("curl -T failed: " + out);
        }
    }

    private static String apacheVersion() throws IOException, InterruptedException {
        Process v = new ProcessBuilder(ApacheDav.BINARY.toString(), "-v").redirectErrorStream(true).start();
        String out = new String(v.getInputStream().readAllBytes());
        v.waitFor();
        return out.lines().findFirst().orElse("?").replace("Server version: ", "");
    }
}
