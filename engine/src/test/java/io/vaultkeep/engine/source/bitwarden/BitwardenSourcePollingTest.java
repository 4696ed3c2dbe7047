package io.vaultkeep.engine.source.bitwarden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import io.vaultkeep.engine.account.EngineTuning;
import io.vaultkeep.engine.account.FailureClassifier;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.engine.source.SourceCheckListener;
import io.vaultkeep.engine.source.VaultSourceException;
import io.vaultkeep.engine.source.SourceScheduling;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The poller as a stream on the actor system: what it reports, how its waits grow after failures,
 * and that stopping it ends the requests. The server is a loopback stand-in for the two endpoints a
 * poll touches (token and revision date).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BitwardenSourcePollingTest {

    private ActorTestKit testKit;
    private SourceScheduling scheduling;
    private HttpServer server;
    private final AtomicLong revision = new AtomicLong(1_000);
    /** Status of the next revision-date answers: 200, or 503 to make polls fail. */
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<Long> polledAtNanos = new CopyOnWriteArrayList<>();
    /** When set, revision-date answers wait for it: a server that hangs. */
    private volatile CountDownLatch hold;

    @BeforeAll
    void actorSystem() {
        testKit = ActorTestKit.create();
        scheduling = SourceScheduling.onActorSystem(testKit.system(),
                testKit.system().dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER)));
    }

    @AfterAll
    void shutDown() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void server() throws IOException {
        polledAtNanos.clear();
        status.set(200);
        revision.set(1_000);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/identity/connect/token", exchange ->
                answer(exchange, 200, "{\"access_token\":\"test-token\",\"expires_in\":3600}"));
        server.createContext("/api/accounts/revision-date", exchange -> {
            polledAtNanos.add(System.nanoTime());
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int code = status.get();
            answer(exchange, code, code == 200 ? Long.toString(revision.get()) : "unavailable");
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        if (hold != null) {
            hold.countDown();
            hold = null;
        }
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private BitwardenSource source(PollSchedule schedule, SourceScheduling on) {
        return source(schedule, on, SourceCheckListener.NONE);
    }

    private BitwardenSource source(PollSchedule schedule, SourceScheduling on, SourceCheckListener checks) {
        return source(schedule, on, checks, java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(5));
    }

    private BitwardenSource source(PollSchedule schedule, SourceScheduling on, SourceCheckListener checks,
                                   java.net.http.HttpClient http, Duration requestTimeout) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        BitwardenClient client = new BitwardenClient(uri, http, "device",
                new BitwardenClient.Credentials.ApiKey("user.test", "secret".toCharArray()), requestTimeout, Clock.systemUTC());
        return new BitwardenSource("alice", client, "alice@example.org", BitwardenSource.Mode.SEALED, null, false, schedule, on,
                checks);
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        awaitUntil(what, condition, 10);
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void reportsTheFirstRevisionAtOnceThenOnlyWhenItMoves() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        BitwardenSource source = source(new PollSchedule(Duration.ofMillis(50), 0, Duration.ofSeconds(1)), scheduling);
        source.start(reports::add);
        try {
            awaitUntil("the first report", () -> reports.size() == 1);
            assertEquals("1000", reports.get(0));
            int polls = polledAtNanos.size();
            awaitUntil("more polls of an unchanged vault", () -> polledAtNanos.size() >= polls + 3);
            assertEquals(List.of("1000"), reports, "an unchanged revision is not reported again");
            revision.set(2_000);
            awaitUntil("the change", () -> reports.size() == 2);
            assertEquals("2000", reports.get(1));
        } finally {
            source.stop();
        }
    }

    @Test
    void failedPollsBackOffAndAreReportedOnceFromTheFirstWithEveryCheckTold() throws Exception {
        status.set(503);
        List<String> reports = new CopyOnWriteArrayList<>();
        List<String> checks = new CopyOnWriteArrayList<>();
        BitwardenSource source = source(new PollSchedule(Duration.ofMillis(100), 0, Duration.ofMillis(400)), scheduling, recording(checks));
        source.start(reports::add);
        try {
            awaitUntil("the first failed poll's report", () -> !reports.isEmpty());
            assertEquals(1, polledAtNanos.size(), "reported at the first failed poll, not after a few: " + polledAtNanos.size() + " polls");
            assertEquals(List.of("failed"), checks);
            assertTrue(reports.get(0).startsWith("unavailable-"), reports.get(0));
            awaitUntil("five failed polls", () -> polledAtNanos.size() >= 5);
            // waits double after each failure: 200, 400 (the cap), 400 ms between polls 2-3, 3-4, 4-5
            List<Long> at = List.copyOf(polledAtNanos);
            assertTrue(millisBetween(at, 1) >= 180, "second wait: " + millisBetween(at, 1) + " ms");
            assertTrue(millisBetween(at, 2) >= 380, "third wait: " + millisBetween(at, 2) + " ms");
            assertTrue(millisBetween(at, 3) >= 380 && millisBetween(at, 3) < 2_000, "capped wait: " + millisBetween(at, 3) + " ms");
            assertEquals(1, reports.size(), "one report of the failure: " + reports);
            awaitUntil("every failed poll told", () -> checks.size() >= 5);
            assertTrue(checks.stream().allMatch("failed"::equals), checks.toString());
            status.set(200);
            awaitUntil("the revision after recovery", () -> reports.size() == 2);
            assertEquals("1000", reports.get(1));
            awaitUntil("the good check told", () -> checks.get(checks.size() - 1).equals("checked"));
        } finally {
            source.stop();
        }
    }

    @Test
    void aRefusedApiKeyIsACheckThatNeedsAttentionAndAFetchThatSaysSo() throws Exception {
        status.set(401);
        List<String> checks = new CopyOnWriteArrayList<>();
        List<String> reports = new CopyOnWriteArrayList<>();
        BitwardenSource source = source(new PollSchedule(Duration.ofSeconds(10), 0, Duration.ofSeconds(10)), scheduling, recording(checks));
        server.createContext("/api/sync", exchange -> answer(exchange, 401, "{\"error\":\"invalid_token\"}"));
        source.start(reports::add);
        try {
            awaitUntil("the refused poll", () -> !checks.isEmpty());
            assertEquals("failed, needs attention", checks.get(0));
            awaitUntil("its report", () -> !reports.isEmpty());
            VaultSourceException refused = assertThrows(VaultSourceException.class, source::fetch);
            assertTrue(refused.needsAttention(), refused.getMessage());
            assertEquals(FailureKind.SOURCE_REFUSED, FailureClassifier.ofSource(refused).kind());
        } finally {
            source.stop();
        }
    }

    private static SourceCheckListener recording(List<String> checks) {
        return new SourceCheckListener() {
            @Override
            public void checked(String accountId, java.time.Instant at, Duration took) {
                checks.add("checked");
            }

            @Override
            public void checkFailed(String accountId, java.time.Instant at, Duration took, String message, boolean needsAttention) {
                checks.add(needsAttention ? "failed, needs attention" : "failed");
            }
        };
    }

    private static long millisBetween(List<Long> at, int i) {
        return TimeUnit.NANOSECONDS.toMillis(at.get(i + 1) - at.get(i));
    }

    @Test
    void stoppingEndsThePolls() throws Exception {
        BitwardenSource source = source(new PollSchedule(Duration.ofMillis(30), 0, Duration.ofSeconds(1)), scheduling);
        List<String> reports = new CopyOnWriteArrayList<>();
        source.start(reports::add);
        awaitUntil("a few polls", () -> polledAtNanos.size() >= 3);
        source.stop();
        Thread.sleep(100); // a poll already on its way may still land
        int afterStop = polledAtNanos.size();
        Thread.sleep(300);
        assertEquals(afterStop, polledAtNanos.size(), "no polls after stop");
    }

    @Test
    void stoppingDoesNotWaitForAPollTheServerHangsOn() throws Exception {
        hold = new CountDownLatch(1);
        BitwardenSource source = source(PollSchedule.every(Duration.ofSeconds(1)), scheduling, SourceCheckListener.NONE,
                java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(60));
        List<String> reports = new CopyOnWriteArrayList<>();
        source.start(reports::add);
        awaitUntil("a poll the server holds", () -> polledAtNanos.size() == 1);
        // the entity stops its source on the actor's thread: a stop waiting out the request timeout
        // held up the hand-over of the account to another node
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(source::stop);
        try {
            stopping.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("stop() waited for the poll the server is still holding");
        } finally {
            hold.countDown();
        }
        Thread.sleep(200); // the held poll ends now: it reports nothing, the source being stopped
        assertEquals(List.of(), reports);
    }

    @Test
    void pollsStillGetTheirAnswersWhenMoreWaitThanTheBlockingDispatcherHasThreads() throws Exception {
        // polls wait in send() on the blocking dispatcher; the shared client's own work must not need its threads
        ActorTestKit small = ActorTestKit.create("small-blocking-pool", ConfigFactory.parseString(
                EngineTuning.BLOCKING_DISPATCHER + ".thread-pool-executor.fixed-pool-size = 2").withFallback(ConfigFactory.load()));
        List<BitwardenSource> sources = new java.util.ArrayList<>();
        try {
            SourceScheduling on = SourceScheduling.onActorSystem(small.system(),
                    small.system().dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER)));
            java.net.http.HttpClient shared = BitwardenHttpClients.client(small.system(), java.util.Optional.empty());
            List<List<String>> reports = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<String> own = new CopyOnWriteArrayList<>();
                reports.add(own);
                BitwardenSource source = source(PollSchedule.every(Duration.ofSeconds(1)), on, SourceCheckListener.NONE, shared,
                        Duration.ofSeconds(60));
                sources.add(source);
                source.start(own::add);
            }
            awaitUntil("every source's first report", () -> reports.stream().allMatch(r -> r.equals(List.of("1000"))), 30);
        } finally {
            sources.forEach(BitwardenSource::stop);
            small.shutdownTestKit();
        }
    }

    @Test
    void aSourceMadeForOneFetchRefusesToWatch() {
        BitwardenSource source = source(PollSchedule.every(Duration.ofSeconds(30)), SourceScheduling.fetchOnly());
        try {
            assertThrows(IllegalStateException.class, () -> source.start(revision -> {}));
        } finally {
            source.stop();
        }
        assertTrue(polledAtNanos.isEmpty());
    }
}
