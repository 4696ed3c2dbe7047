package io.vaultkeep.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.notify.JournalNotifier;
import io.vaultkeep.engine.config.NotifyEvent;
import io.vaultkeep.engine.config.NotifySettings;
import io.vaultkeep.engine.config.NotifyTarget;
import io.vaultkeep.storage.repository.FetchedVault;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 15's figure: change-to-commit of one account (200-item vault) without notifications, and
 * with the journal notifier running and posting every start and success to a webhook on loopback
 * (two POSTs per run, each with its offset stored after it); also how long after the commit the
 * success notice reached the webhook. Alternates the two modes in rounds on one engine, so that
 * warm-up and disk state are shared.
 *
 * <p>Run with {@code scripts/bench notify [WORKDIR]}. Prints figures; asserts nothing.
 */
public final class NotifyBenchmark {

    /** MetricsBenchmark's: its change-to-commit measure (account "one", beyond the quiet window) is reused. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int ROUNDS = 4;
    private static final int RUNS_PER_ROUND = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench").resolve("notify-" + UUID.randomUUID()));
        System.out.println("machine: " + BenchReport.machine());
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, Long> toldAt = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            long now = System.nanoTime();
            var body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if ("success".equals(body.path("event").asText())) {
                toldAt.putIfAbsent(body.path("snapshotId").asText(), now);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        NotifySettings settings = new NotifySettings(List.of(new NotifyTarget.Webhook(
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), Optional.empty(),
                Duration.ofSeconds(5), EnumSet.of(NotifyEvent.RUN_STARTED, NotifyEvent.SUCCESS))), Map.of(),
                NotifySettings.DEFAULT_ATTEMPTS, NotifySettings.DEFAULT_BACKOFF, NotifySettings.DEFAULT_MAX_BACKOFF,
                NotifySettings.DEFAULT_ATTENTION_AFTER);
        EngineConfig config = EngineConfig.embedded(work.resolve("data")).withDebounce(QUIET, Duration.ofSeconds(10)).withSnapshotEvery(100_000);
        try (VaultKeepEngine engine = VaultKeepEngine.start(config)) {
            AtomicReference<CountDownLatch> committed = new AtomicReference<>();
            engine.subscribe(n -> {
                if (n instanceof BackupNotice.SnapshotCommitted c) {
                    committedAt.put(c.snapshotId(), System.nanoTime());
                    committed.get().countDown();
                }
            });
            MetricsBenchmark.registerPushedAccount(engine, work);
            double[] without = new double[ROUNDS * RUNS_PER_ROUND];
            double[] with = new double[ROUNDS * RUNS_PER_ROUND];
            List<String> toldSnapshots = new ArrayList<>();
            int vault = 100;
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                MetricsBenchmark.changeToCommit(engine, committed, vault++);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < RUNS_PER_ROUND; i++) {
                    without[round * RUNS_PER_ROUND + i] = MetricsBenchmark.changeToCommit(engine, committed, vault++);
                }
                // each round starts where the last left off: the runs without it are told now, not measured
                try (JournalNotifier notifier = JournalNotifier.startIfAny(engine.system(), settings).orElseThrow()) {
                    Thread.sleep(3000);
                    toldAt.clear();
                    committedAt.clear();
                    for (int i = 0; i < RUNS_PER_ROUND; i++) {
                        with[round * RUNS_PER_ROUND + i] = MetricsBenchmark.changeToCommit(engine, committed, vault++);
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!toldAt.keySet().containsAll(committedAt.keySet()) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    toldSnapshots.addAll(committedAt.keySet());
                    for (String snapshot : committedAt.keySet()) {
                        Long told = toldAt.get(snapshot);
                        if (told != null) {
                            latencies.add((told - committedAt.get(snapshot)) / 1e6);
                        }
                    }
                }
            }
            MetricsBenchmark.report("without notifications", without);
            MetricsBenchmark.report("with notifications (webhook: run-started and success)", with);
            double[] delivery = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("commit to webhook POST received: p50 %.0f ms, p99 %.0f ms (n=%d of %d commits)%n",
                    ManyAccounts.percentile(delivery, 50), ManyAccounts.percentile(delivery, 99), delivery.length, toldSnapshots.size());
        } finally {
            receiver.stop(0);
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static final List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
}
