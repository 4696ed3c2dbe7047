package io.vaultkeep.bench;

import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SourceConfig;
import io.vaultkeep.engine.account.EngineTuning;
import io.vaultkeep.engine.source.SourceScheduling;
import io.vaultkeep.engine.source.bitwarden.BitwardenSource;
import io.vaultkeep.engine.source.bitwarden.BitwardenSources;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Issue 5's figures against the Bitwarden-compatible test server on loopback (https): sync plus
 * snapshot of a 5,000-item vault with 50 attachments, in decrypt and sealed mode; and the polling load
 * of many accounts — requests per second on the server and CPU per poll on the host.
 *
 * <p>Run with {@code scripts/bench bitwarden-api [workdir]}. Prints figures; asserts nothing.
 */
public final class BitwardenApiBenchmark {

    private static final int ITEMS = 5_000;
    private static final int ATTACHMENTS = 50;
    private static final int ATTACHMENT_BYTES = 200 * 1024;
    private static final int ROUNDS = 3;
    private static final int POLLING_ACCOUNTS = 1_000;
    /** 1,000 accounts every 3 s put the load of 10,000 accounts every 30 s (the default) on a server. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(3);

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench")
                .resolve("bitwarden-api-" + UUID.randomUUID()));
        try (BitwardenTestServer server = BitwardenTestServer.start()) {
            System.out.println("machine: " + BenchReport.machine());
            syncAndSnapshot(server, work);
            polling(server);
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static void syncAndSnapshot(BitwardenTestServer server, Path work) throws Exception {
        char[] password = "bench master password".toCharArray();
        TestAccount account = server.createAccount("bench@example.org", password, KdfParameters.defaultPbkdf2());
        long t0 = System.nanoTime();
        List<String> ids = server.seed(account).items(ITEMS, "bench item");
        Random random = new Random(5);
        for (int i = 0; i < ATTACHMENTS; i++) {
            byte[] bytes = new byte[ATTACHMENT_BYTES];
            random.nextBytes(bytes);
            server.seed(account).attachment(ids.get(i * (ITEMS / ATTACHMENTS)), "file-" + i + ".bin", bytes);
        }
        System.out.printf("seeded %d items and %d attachments of %d KiB in %.1f s%n", ITEMS, ATTACHMENTS, ATTACHMENT_BYTES / 1024,
                (System.nanoTime() - t0) / 1e9);
        for (BitwardenSource.Mode mode : BitwardenSource.Mode.values()) {
            double[] fetchMs = new double[ROUNDS];
            double[] firstSnapshotMs = new double[ROUNDS];
            double[] againMs = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                BitwardenSource source = BitwardenSources.create("bench", config(server, account, mode).account(), true, SourceScheduling.fetchOnly());
                try (BackupRepository repo = BackupRepository.create(FolderStore.open(work.resolve(mode + "-" + round)),
                        new Zip4jCodec(), "bench backup password".toCharArray(), Clock.systemUTC())) {
                    long a = System.nanoTime();
                    FetchedVault vault = source.fetch();
                    long b = System.nanoTime();
                    BackupRun.Committed first = repo.backup(vault);
                    long c = System.nanoTime();
                    repo.backup(source.fetch()); // the next run: attachments are known, not downloaded again
                    long d = System.nanoTime();
                    fetchMs[round] = (b - a) / 1e6;
                    firstSnapshotMs[round] = (c - b) / 1e6;
                    againMs[round] = (d - c) / 1e6;
                    if (round == 0) {
                        System.out.printf("%s: %d items, %d attachments stored (%d new blobs)%n", mode, first.stats().cipherCount(),
                                first.stats().attachmentCount(), first.stats().newBlobCount());
                    }
                } finally {
                    source.stop();
                }
            }
            System.out.printf("%s: sync + %s: %s; snapshot with 50 attachment downloads: %s; next run (sync, snapshot, no downloads): %s%n",
                    mode, mode == BitwardenSource.Mode.DECRYPT ? "unlock + decrypt" : "seal", BenchReport.stats(fetchMs, "ms"),
                    BenchReport.stats(firstSnapshotMs, "ms"), BenchReport.stats(againMs, "ms"));
        }
    }

    private static SourceConfig.Bitwarden config(BitwardenTestServer server, TestAccount account, BitwardenSource.Mode mode) {
        return new SourceConfig.Bitwarden(URI.create(server.url()), account.email(),
                Optional.of(Secret.of("bench", account.clientId().toCharArray())), Optional.of(Secret.of("bench", account.clientSecret().toCharArray())),
                mode == BitwardenSource.Mode.DECRYPT ? Optional.of(Secret.of("bench", account.masterPassword())) : Optional.empty(),
                mode, POLL_INTERVAL, Optional.of(server.caFile()));
    }

    private static void polling(BitwardenTestServer server) throws Exception {
        // the pollers run on an actor system's scheduler and blocking dispatcher, as under the host's entities
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-polling");
        SourceScheduling scheduling = SourceScheduling.onActorSystem(system,
                system.dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER)));
        List<BitwardenSource> sources = new ArrayList<>();
        AtomicLong changes = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < POLLING_ACCOUNTS; i++) {
            TestAccount account = server.createLightAccount("poll" + i + "@example.org", ("poll pw " + i).toCharArray(),
                    KdfParameters.pbkdf2(5_000));
            BitwardenSource source = BitwardenSources.create("poll" + i, config(server, account, BitwardenSource.Mode.SEALED).account(), false,
                    scheduling);
            sources.add(source);
        }
        System.out.printf("%d polling accounts created in %.1f s%n", POLLING_ACCOUNTS, (System.nanoTime() - t0) / 1e9);
        sources.forEach(s -> s.start(revision -> changes.incrementAndGet()));
        Thread.sleep(10_000); // every account has logged in and polled a few times
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long requests0 = server.requestCount("GET /api/accounts/revision-date");
        long cpu0 = hostCpuNanos(threads);
        long wall0 = System.nanoTime();
        Thread.sleep(30_000);
        long requests = server.requestCount("GET /api/accounts/revision-date") - requests0;
        long cpu = hostCpuNanos(threads) - cpu0;
        double seconds = (System.nanoTime() - wall0) / 1e9;
        sources.forEach(BitwardenSource::stop);
        system.terminate();
        System.out.printf("polling: %d accounts every %d s (±10%%): %.1f revision-date requests/s at the server "
                        + "(= 10,000 accounts at the default 30 s); host CPU %.3f ms per poll (%.1f %% of one core); %d changes reported%n",
                POLLING_ACCOUNTS, POLL_INTERVAL.toSeconds(), requests / seconds, cpu / 1e6 / Math.max(1, requests),
                100.0 * cpu / 1e9 / seconds, changes.get());
    }

    /** CPU of the engine's side: every thread but the test server's. */
    private static long hostCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().startsWith("bw-test-server") || info.getThreadName().startsWith("HTTP-Dispatcher")) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                total += cpu;
            }
        }
        return total;
    }
}
