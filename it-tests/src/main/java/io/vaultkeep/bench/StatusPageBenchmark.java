package io.vaultkeep.bench;

import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import io.vaultkeep.engine.host.AccountActivity;
import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.Health;
import io.vaultkeep.engine.host.HostStatusProvider;
import io.vaultkeep.engine.host.StatusServer;
import io.vaultkeep.engine.host.StatusToken;
import io.vaultkeep.engine.host.page.RepositoryView;
import io.vaultkeep.engine.host.page.StatusPage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Issue 15's figure for the status page: the page of 1,000 accounts (one in ten failing with an
 * error, each repository with 30 snapshots), rendered alone and served over HTTP by the status
 * endpoint (login aside: with the status token) once every repository view is at hand.
 *
 * <p>Run with {@code scripts/bench status-page [WORKDIR]}. Prints figures; asserts nothing.
 */
public final class StatusPageBenchmark {

    private static final int ACCOUNTS = 1_000;
    private static final int SNAPSHOTS = 30;
    private static final int RUNS = 200;

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench").resolve("status-page-" + UUID.randomUUID()));
        System.out.println("machine: " + BenchReport.machine());
        Instant now = Instant.now();
        List<AccountStatus> accounts = new ArrayList<>();
        Map<String, RepositoryView> views = new java.util.HashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = String.format("account-%04d", i);
            boolean failing = i % 10 == 0;
            accounts.add(new AccountStatus(id, failing ? AccountActivity.BACKING_OFF : AccountActivity.IDLE, "20261206-" + id,
                    now.minusSeconds(60L * i), failing ? "location http://nas.example/" + id + " cannot be opened: connection refused" : null,
                    failing ? 3 : 0, failing ? now.plusSeconds(300) : null, null, List.of(), now.minusSeconds(30)));
            List<RepositoryView.SnapshotRow> rows = new ArrayList<>();
            for (int s = 0; s < SNAPSHOTS; s++) {
                rows.add(new RepositoryView.SnapshotRow("20261206-" + id + "-" + s, now.minus(Duration.ofHours(s)), 200, 3,
                        400_000L + 1_000L * s, s < 25));
            }
            views.put(id, new RepositoryView(now, true, rows, 12_000_000L, 30, null));
        }
        Function<String, Optional<RepositoryView>> lookup = id -> Optional.ofNullable(views.get(id));

        double[] render = new double[RUNS];
        int bytes = 0;
        for (int warmUp = 0; warmUp < 50; warmUp++) {
            bytes = StatusPage.render(accounts, lookup, Health.ok(), now).length();
        }
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            StatusPage.render(accounts, lookup, Health.ok(), now);
            render[i] = (System.nanoTime() - t0) / 1e6;
        }
        report("render alone", render, bytes);

        StatusToken token = StatusToken.create(work);
        String bearer = "Bearer " + StatusToken.read(work.resolve(StatusToken.FILE_NAME));
        HostStatusProvider provider = new HostStatusProvider() {
            @Override
            public List<AccountStatus> accounts() {
                return accounts;
            }

            @Override
            public Optional<AccountStatus> account(String id) {
                return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
            }

            @Override
            public boolean requestBackupNow(String id) {
                return false;
            }

            @Override
            public Health health() {
                return Health.ok();
            }

            @Override
            public ConfigChanges reload() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<RepositoryView> repository(String id, Instant at) {
                return lookup.apply(id);
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        try (StatusServer server = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token, provider)) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.uri() + "/")).header("Authorization", bearer).build();
            // the first requests start the repository reads; wait until every view is at hand
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (http.send(get, HttpResponse.BodyHandlers.ofString()).body().contains("&hellip;") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double[] served = new double[RUNS];
            for (int warmUp = 0; warmUp < 50; warmUp++) {
                bytes = http.send(get, HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
                served[i] = (System.nanoTime() - t0) / 1e6;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode());
                }
            }
            report("GET / over loopback", served, bytes);
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static void report(String mode, double[] millis, int bytes) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("%s, %d accounts: p50 %.1f ms, p99 %.1f ms (n=%d), page %d KiB%n", mode, ACCOUNTS,
                ManyAccounts.percentile(sorted, 50), ManyAccounts.percentile(sorted, 99), sorted.length, bytes / 1024);
    }
}
