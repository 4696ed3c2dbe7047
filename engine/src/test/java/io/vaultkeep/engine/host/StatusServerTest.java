package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeHostStatus host = new FakeHostStatus(FakeHostStatus.ALICE, FakeHostStatus.BOB);
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dataDir;
    private StatusToken token;
    private String bearer;
    private StatusServer server;

    @BeforeEach
    void start() throws IOException {
        token = StatusToken.create(dataDir);
        bearer = "Bearer " + StatusToken.read(dataDir.resolve(StatusToken.FILE_NAME));
        server = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token, host);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Authorization", bearer)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOkOr503WithTheReasons() throws Exception {
        HttpResponse<String> ok = get("/health");
        assertEquals(200, ok.statusCode());
        assertEquals("{\"status\":\"ok\"}", ok.body());
        assertEquals("application/json; charset=utf-8", ok.headers().firstValue("Content-Type").orElseThrow());

        host.health = Health.unhealthy("journal unreachable: connection refused", "shutting down");
        HttpResponse<String> sick = get("/health");
        assertEquals(503, sick.statusCode());
        assertEquals("{\"status\":\"unhealthy\",\"reasons\":[\"journal unreachable: connection refused\",\"shutting down\"]}", sick.body());
    }

    @Test
    void anUnhealthyAccountIsNamedWithItsVerdictAndReasonInThe503Body() throws Exception {
        AccountStatus dave = new AccountStatus("dave", AccountActivity.BACKING_OFF, null, null, "vault.example.org unreachable", 4,
                null, null, List.of(), null, "source-unavailable", AccountHealth.FAILING,
                "4 failures in a row: source-unavailable: vault.example.org unreachable", null);
        host.health = Health.of(List.of(FakeHostStatus.ALICE, dave));
        HttpResponse<String> sick = get("/health");
        assertEquals(503, sick.statusCode());
        assertEquals("{\"status\":\"unhealthy\",\"reasons\":[\"account dave: failing: 4 failures in a row: source-unavailable: "
                + "vault.example.org unreachable\"],\"accounts\":[{\"id\":\"dave\",\"health\":\"failing\",\"reason\":\"4 failures in a row: "
                + "source-unavailable: vault.example.org unreachable\"}]}", sick.body());
        assertTrue(Health.of(List.of(FakeHostStatus.ALICE, FakeHostStatus.BOB)).healthy(), "statuses without a verdict do not count");
    }

    @Test
    void accountsAreAJsonArrayWithIsoInstantsAndExplicitNulls() throws Exception {
        HttpResponse<String> response = get("/accounts");
        assertEquals(200, response.statusCode());
        JsonNode list = JSON.readTree(response.body());
        assertEquals(2, list.size());
        JsonNode alice = list.get(0);
        assertEquals("alice", alice.get("id").asText());
        assertEquals("running", alice.get("state").asText());
        assertEquals(FakeHostStatus.ALICE.lastSnapshotId(), alice.get("lastSnapshotId").asText());
        assertEquals("2025-01-02T03:04:05.123Z", alice.get("lastSnapshotAt").asText());
        assertTrue(alice.get("lastError").isNull());
        assertEquals(0, alice.get("consecutiveFailures").asInt());
        assertTrue(alice.get("nextDueAt").isNull());
        assertEquals("run-7", alice.get("inFlightRun").get("runId").asText());
        assertEquals("storing-blobs", alice.get("inFlightRun").get("stage").asText());
        assertEquals("2025-01-02T04:00:00Z", alice.get("inFlightRun").get("startedAt").asText());
        JsonNode bob = list.get(1);
        assertEquals("backing-off", bob.get("state").asText());
        assertEquals("location /srv/backups/bob is full", bob.get("lastError").asText());
        assertEquals(3, bob.get("consecutiveFailures").asInt());
        assertEquals("2025-01-02T05:00:00Z", bob.get("nextDueAt").asText());
        assertTrue(bob.get("inFlightRun").isNull());
    }

    @Test
    void metricsAreThePrometheusTextFormatBehindTheToken() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals(HostMetrics.CONTENT_TYPE, metrics.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(metrics.body().contains("vaultkeep_account_consecutive_failures{account=\"bob\"} 3"), metrics.body());
        assertFalse(metrics.body().contains("is full"), "an error message is never a label");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals(405, post("/metrics").statusCode());
    }

    @Test
    void metricsWithoutTokenOpensMetricsOnly() throws Exception {
        try (StatusServer open = StatusServer.start(new StatusEndpoint("127.0.0.1", 0, true), token, host)) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(open.uri().resolve("/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("vaultkeep_runs_limit 4"), metrics.body());
            HttpResponse<String> accounts = http.send(HttpRequest.newBuilder(open.uri().resolve("/accounts")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, accounts.statusCode());
        }
    }

    @Test
    void oneAccountOr404() throws Exception {
        HttpResponse<String> bob = get("/accounts/bob");
        assertEquals(200, bob.statusCode());
        assertEquals("bob", JSON.readTree(bob.body()).get("id").asText());

        HttpResponse<String> nobody = get("/accounts/nobody");
        assertEquals(404, nobody.statusCode());
        assertEquals("no account 'nobody' on this host", JSON.readTree(nobody.body()).get("error").asText());
    }

    @Test
    void backupNowIsAcceptedFor202OrUnknownFor404() throws Exception {
        HttpResponse<String> accepted = post("/accounts/alice/backup-now");
        assertEquals(202, accepted.statusCode());
        assertEquals("{\"account\":\"alice\",\"status\":\"requested\"}", accepted.body());
        assertEquals(List.of("alice"), List.copyOf(host.backupNowRequests));

        assertEquals(404, post("/accounts/nobody/backup-now").statusCode());
        assertEquals(List.of("alice"), List.copyOf(host.backupNowRequests));
    }

    @Test
    void wrongMethodsAndUnknownPathsAreRefused() throws Exception {
        HttpResponse<String> getBackup = get("/accounts/alice/backup-now");
        assertEquals(405, getBackup.statusCode());
        assertEquals("POST", getBackup.headers().firstValue("Allow").orElseThrow());
        assertTrue(host.backupNowRequests.isEmpty());
        HttpResponse<String> postHealth = post("/health");
        assertEquals(405, postHealth.statusCode());
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, post("/accounts").statusCode());
        // "/" is the status page now (StatusPageServerTest)
        for (String path : List.of("/metrics/x", "/accounts/alice/prune", "/accounts/alice/backup-now/x", "/health/")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertTrue(JSON.readTree(response.body()).get("error").asText().startsWith("no such resource"), path);
        }
    }

    @Test
    void aProviderFailureIsA500WithoutItsMessage() throws Exception {
        host.failure = new IllegalStateException("secret detail from deep inside");
        HttpResponse<String> response = get("/accounts");
        assertEquals(500, response.statusCode());
        assertEquals("the host could not answer: IllegalStateException", JSON.readTree(response.body()).get("error").asText());
        assertFalse(response.body().contains("secret detail"));
        host.failure = null;
        assertEquals(200, get("/accounts").statusCode()); // the endpoint still serves
    }

    /** A page in a browser can reach loopback, by a rebound DNS name or a cross-site form: it is turned away. */
    @Test
    void requestsAWebPageCouldMakeAreRefused() throws Exception {
        assertEquals(403, rawStatus("GET /accounts HTTP/1.1\r\nHost: attacker.example:" + server.port() + "\r\nConnection: close\r\n\r\n"));
        assertEquals(403, rawStatus("GET /health HTTP/1.1\r\nHost: 10.0.0.1\r\nConnection: close\r\n\r\n"));
        assertEquals(200, rawStatus("GET /health HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nConnection: close\r\n\r\n"));

        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(server.uri().resolve("/accounts/alice/backup-now"))
                .header("Origin", "https://attacker.example").header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode());
        assertTrue(host.backupNowRequests.isEmpty());
    }

    private int rawStatus(String request) throws IOException {
        try (Socket socket = new Socket(server.uri().getHost(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void hostHeaders() {
        for (String ok : List.of("127.0.0.1:8420", "127.0.0.1", "localhost:8420", "LOCALHOST", "[::1]:8420", "127.1.2.3:80")) {
            assertTrue(StatusServer.loopbackHost(ok), ok);
        }
        for (String refused : List.of("attacker.example:8420", "192.168.1.10:8420", "[2001:db8::1]:8420", "localhost.attacker.example",
                "[::1", "0.0.0.0:8420")) {
            assertFalse(StatusServer.loopbackHost(refused), refused);
        }
    }

    @Test
    void manyConcurrentRequestsAreAllServedByTheBoundedPool() throws Exception {
        host.delayMillis = 20;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(server.uri().resolve("/accounts")).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertEquals(200, call.get().statusCode());
        }
    }

    @Test
    void onlyLoopbackAddressesAreBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusServer.start(new StatusEndpoint("0.0.0.0", 0), token, host));
        assertTrue(e.getMessage().contains("loopback only"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatusServer.start(new StatusEndpoint("example.com", 0), token, host));
    }

    @Test
    void aTakenPortIsReportedClearly() {
        IOException e = assertThrows(IOException.class,
                () -> StatusServer.start(new StatusEndpoint("127.0.0.1", server.port()), token, host));
        assertTrue(e.getMessage().startsWith("cannot listen on http://127.0.0.1:" + server.port()), e.getMessage());
        assertTrue(e.getMessage().contains("is another VaultKeep host running?"), e.getMessage());
    }

    @Test
    void closeLetsARequestInProgressFinishAndIsQuickWhenIdle() throws Exception {
        host.delayMillis = 300;
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(server.uri().resolve("/accounts")).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (host.accountsCalls.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        server.close();
        assertEquals(200, slow.get().statusCode());

        StatusServer idle = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token, host);
        long started = System.nanoTime();
        idle.close();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 900, "an idle server closes at once, took " + millis + " ms");
    }

    @Test
    void theUriNamesTheBoundPort() {
        assertEquals(URI.create("http://127.0.0.1:" + server.port()), server.uri());
        assertTrue(server.port() > 0);
    }

    /** Other local users reach a loopback port too: without the token from the data-dir they get 401 and nothing happens. */
    @Test
    void everythingButHealthNeedsTheToken() throws Exception {
        for (String wrong : new String[] {null, "Bearer nope", "Basic " + bearer.substring(7), bearer + "x"}) {
            for (HttpRequest.Builder request : List.of(
                    HttpRequest.newBuilder(server.uri().resolve("/accounts")).GET(),
                    HttpRequest.newBuilder(server.uri().resolve("/accounts/alice")).GET(),
                    HttpRequest.newBuilder(server.uri().resolve("/metrics")).GET(),
                    HttpRequest.newBuilder(server.uri().resolve("/accounts/alice/backup-now")).POST(HttpRequest.BodyPublishers.noBody()))) {
                if (wrong != null) {
                    request.header("Authorization", wrong);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, response.statusCode(), wrong + " " + response.request().uri());
                assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
                assertFalse(response.body().contains("alice"), response.body());
            }
        }
        assertTrue(host.backupNowRequests.isEmpty());
        assertEquals(0, host.accountsCalls.get());

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        host.health = Health.unhealthy("account alice refused: location /srv/alice cannot be opened");
        HttpResponse<String> sick = http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, sick.statusCode());
        assertEquals("{\"status\":\"unhealthy\",\"reasons\":[\"details need the host's status token\"]}", sick.body());
        assertTrue(get("/health").body().contains("/srv/alice"), "the host's user sees the reasons");
    }

    @Test
    void theTokenIsPrivateRandomAndNewAtEveryStart() throws Exception {
        Path file = dataDir.resolve(StatusToken.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String first = StatusToken.read(file);
        assertTrue(first.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url");
        StatusToken.create(dataDir);
        assertFalse(first.equals(StatusToken.read(file)));
        try (var leftovers = Files.list(dataDir)) {
            assertEquals(List.of(file), leftovers.toList(), "no temporary file is left beside it");
        }
    }
}
