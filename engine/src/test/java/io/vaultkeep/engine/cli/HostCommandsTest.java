package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import io.vaultkeep.engine.host.AccountActivity;
import io.vaultkeep.engine.host.AccountHealth;
import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.FakeHostStatus;
import io.vaultkeep.engine.host.Health;
import io.vaultkeep.engine.host.StatusServer;
import io.vaultkeep.engine.host.StatusToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaultkeep status} and {@code vaultkeep backup-now} against a real status server over a fake host. */
class HostCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final FakeHostStatus host = new FakeHostStatus(FakeHostStatus.ALICE, FakeHostStatus.BOB);
    private StatusServer server;
    private String url;
    private String tokenFile;
    private StatusToken token;


    @BeforeEach
    void start() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        token = StatusToken.create(dataDir);
        server = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token, host);
        url = server.uri().toString();
        tokenFile = dataDir.resolve(StatusToken.FILE_NAME).toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static CliRun run(String... args) {
        return CliRun.of(Map.<String, String>of(), args);
    }

    @Test
    void statusPrintsTheHostsHealthAndATableOfAccounts() {
        CliRun r = run("status", "--status-url", url, "--token-file", tokenFile);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("host " + url + ": ok", lines.get(0));
        assertTrue(lines.get(1).startsWith("ACCOUNT"), lines.get(1));
        assertTrue(lines.get(2).matches("alice\\s+running\\s+-\\s+2025-01-02T03:04:05Z\\s+2025-01-02T03:30:00Z\\s+-\\s+storing-blobs, 2025-01-02T04:00:00Z\\s+0\\s+-"),
                lines.get(2));
        assertTrue(lines.get(3).matches("bob\\s+backing-off\\s+-\\s+-\\s+-\\s+2025-01-02T05:00:00Z\\s+-\\s+3\\s+location /srv/backups/bob is full"),
                lines.get(3));
        assertEquals("2 accounts", lines.get(4));
    }

    @Test
    void statusOpenPrintsAOneTimeLoginAddressForThePageOrOneAccount() throws Exception {
        CliRun r = run("status", "--open", "--status-url", url, "--token-file", tokenFile);
        assertEquals(0, r.exit(), r.err());
        String login = r.out().trim();
        assertTrue(login.matches(java.util.regex.Pattern.quote(url) + "/login\\?code=[A-Za-z0-9_-]{43}"), login);
        assertTrue(r.err().contains("works once"), r.err());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> first = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(login)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(303, first.statusCode());
        assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(login)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), "the address works once");

        CliRun bob = run("status", "bob", "--open", "--status-url", url, "--token-file", tokenFile);
        assertEquals(0, bob.exit(), bob.err());
        assertEquals("/accounts/bob", http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(bob.out().trim())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow());
        CliRun nobody = run("status", "nobody", "--open", "--status-url", url, "--token-file", tokenFile);
        assertTrue(nobody.exit() != 0 && nobody.err().contains("no account 'nobody'"), nobody.err());
        assertEquals(1, run("status", "--open", "--status-url", url).exit(), "without the token no address is given");
    }

    @Test
    void statusShowsWhatTheLastSnapshotLeftOutInTextAndJson() throws Exception {
        AccountStatus carol = new AccountStatus("carol", AccountActivity.IDLE, "20250102030405-aa", Instant.parse("2025-01-02T03:04:05Z"),
                null, 0, null, null, List.of("left out 1 file in /inbox/attachments/gone: no item gone in /inbox/export.json"), null);
        try (StatusServer withCarol = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token,
                new FakeHostStatus(FakeHostStatus.ALICE, FakeHostStatus.BOB, carol))) {
            String carolsHost = withCarol.uri().toString();
            CliRun text = run("status", "--status-url", carolsHost, "--token-file", tokenFile);
            assertEquals(0, text.exit(), text.err());
            assertTrue(text.out().contains("\nwarning: account carol, last snapshot: left out 1 file in /inbox/attachments/gone: "
                    + "no item gone in /inbox/export.json\n3 accounts\n"), text.out());
            JsonNode doc = JSON.readTree(run("status", "--json", "--status-url", carolsHost, "--token-file", tokenFile).out());
            JsonNode listed = doc.get("accounts").get(2);
            assertEquals("carol", listed.get("id").asText());
            assertEquals("left out 1 file in /inbox/attachments/gone: no item gone in /inbox/export.json", listed.get("warnings").get(0).asText());
            assertEquals(0, doc.get("accounts").get(0).get("warnings").size(), "an account without warnings lists none");
        }
    }

    @Test
    void statusJsonHasHealthAndAccounts() throws Exception {
        CliRun r = run("status", "--json", "--status-url", url, "--token-file", tokenFile);
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("ok", doc.get("health").get("status").asText());
        assertEquals(2, doc.get("accounts").size());
        assertEquals("2025-01-02T03:04:05.123Z", doc.get("accounts").get(0).get("lastSnapshotAt").asText());
        assertEquals("backing-off", doc.get("accounts").get(1).get("state").asText());
    }

    @Test
    void statusOfOneAccount() throws Exception {
        CliRun r = run("status", "bob", "--json", "--status-url", url, "--token-file", tokenFile);
        assertEquals(0, r.exit(), r.err());
        assertEquals("bob", JSON.readTree(r.out()).get("id").asText());
        CliRun missing = run("status", "nobody", "--status-url", url, "--token-file", tokenFile);
        assertEquals(1, missing.exit());
        assertEquals("vaultkeep: error: no account 'nobody' on the host at " + url + "\n", missing.err());
    }

    @Test
    void anUnhealthyHostExitsWith3() throws Exception {
        host.health = Health.unhealthy("journal unreachable");
        CliRun r = run("status", "--status-url", url, "--token-file", tokenFile);
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, r.exit());
        assertEquals("host " + url + ": UNHEALTHY: journal unreachable", r.out().lines().findFirst().orElseThrow());
        JsonNode doc = JSON.readTree(run("status", "--json", "--status-url", url, "--token-file", tokenFile).out());
        assertEquals("unhealthy", doc.get("health").get("status").asText());
        assertEquals("journal unreachable", doc.get("health").get("reasons").get(0).asText());
    }

    @Test
    void statusShowsEachAccountsHealthAndExitsWith3ForOneThatNeedsAttention() throws Exception {
        AccountStatus dave = new AccountStatus("dave", AccountActivity.FAILED, null, null, "the backup password does not open the repository",
                1, null, null, List.of(), null, "wrong-password", AccountHealth.NEEDS_ATTENTION,
                "wrong-password: the backup password does not open the repository", null);
        FakeHostStatus withDave = new FakeHostStatus(FakeHostStatus.ALICE, dave);
        withDave.health = Health.of(withDave.accounts());
        try (StatusServer server = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token, withDave)) {
            String davesHost = server.uri().toString();
            CliRun text = run("status", "--status-url", davesHost, "--token-file", tokenFile);
            assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, text.exit(), text.err());
            List<String> lines = text.out().lines().toList();
            assertEquals("host " + davesHost + ": UNHEALTHY: account dave: needs attention: wrong-password: "
                    + "the backup password does not open the repository", lines.get(0));
            assertTrue(lines.get(1).matches("ACCOUNT\\s+STATE\\s+HEALTH\\s+LAST SNAPSHOT.*"), lines.get(1));
            assertTrue(lines.get(3).matches("dave\\s+failed\\s+needs attention\\s+-\\s+.*"), lines.get(3));
            assertTrue(lines.contains("needs attention: account dave: wrong-password: the backup password does not open the repository"),
                    text.out());

            JsonNode doc = JSON.readTree(run("status", "--json", "--status-url", davesHost, "--token-file", tokenFile).out());
            JsonNode listed = doc.get("accounts").get(1);
            assertEquals("needs-attention", listed.get("health").asText());
            assertEquals("wrong-password", listed.get("failureKind").asText());
            assertEquals("dave", doc.get("health").get("accounts").get(0).get("id").asText());
            assertEquals("needs-attention", doc.get("health").get("accounts").get(0).get("health").asText());

            assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, run("status", "dave", "--status-url", davesHost, "--token-file", tokenFile).exit());
            assertEquals(0, run("status", "alice", "--status-url", davesHost, "--token-file", tokenFile).exit());
        }
    }

    @Test
    void backupNowAsksTheHost() {
        CliRun r = run("backup-now", "alice", "--status-url", url, "--token-file", tokenFile);
        assertEquals(0, r.exit(), r.err());
        assertEquals("backup of alice requested from the host at " + url + " (see `vaultkeep status alice`)\n", r.out());
        assertEquals(List.of("alice"), List.copyOf(host.backupNowRequests));

        CliRun unknown = run("backup-now", "mallory", "--status-url", url, "--token-file", tokenFile);
        assertEquals(1, unknown.exit());
        assertEquals("vaultkeep: error: no account 'mallory' on the host at " + url + "\n", unknown.err());
        assertEquals(List.of("alice"), List.copyOf(host.backupNowRequests));
    }

    @Test
    void theConfigFileGivesTheAddressWithoutNeedingTheHostsSecrets() throws Exception {
        Path config = temp.resolve("vaultkeep.conf");
        Files.writeString(config, """
                vaultkeep {
                  status { host = "127.0.0.1", port = %d }
                  accounts = [ { id = "alice", password-env = "NOT_SET_HERE", source { push {} }, location { folder { path = "./b" } } } ]
                }
                """.formatted(server.port()));
        CliRun r = run("backup-now", "alice", "--config", config.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("alice"), List.copyOf(host.backupNowRequests));
        assertEquals(0, run("status", "--config", config.toString()).exit());

        Files.writeString(config, "vaultkeep {\n  status { port = \"eighty\" }\n}\n");
        CliRun bad = run("status", "--config", config.toString());
        assertEquals(1, bad.exit());
        assertEquals("vaultkeep: error: " + config + ":2: vaultkeep.status.port: expected a whole number, got the string \"eighty\"\n",
                bad.err());
    }

    @Test
    void noRunningHostIsOneClearLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + port;
        String expected = "vaultkeep: error: no VaultKeep host answering at " + nowhere
                + " — start one with `vaultkeep run --config FILE`\n";
        CliRun status = run("status", "--status-url", nowhere);
        assertEquals(1, status.exit());
        assertEquals(expected, status.err());
        assertEquals("", status.out());
        CliRun backup = run("backup-now", "alice", "--status-url", nowhere);
        assertEquals(1, backup.exit());
        assertEquals(expected, backup.err());
    }

    @Test
    void configAndStatusUrlExcludeEachOther() {
        CliRun r = run("status", "--status-url", url, "--config", temp.resolve("x.conf").toString());
        assertEquals(2, r.exit());
        assertEquals("vaultkeep: error: --config and --status-url exclude each other: give one (see 'vaultkeep help status')\n", r.err());
    }

    @Test
    void withoutTheTokenTheHostRefusesAndTheCommandSaysWhereTheTokenIs() throws Exception {
        String hint = "give --config with the host's config file, or --token-file <data-dir>/status.token\n";
        CliRun status = run("status", "--status-url", url);
        assertEquals(1, status.exit());
        assertEquals("vaultkeep: error: the host at " + url + " refused the request: it needs the host's status token"
                + " (none given); " + hint, status.err());
        CliRun backup = run("backup-now", "alice", "--status-url", url);
        assertEquals(1, backup.exit());
        assertTrue(backup.err().endsWith("(none given); " + hint), backup.err());
        Path wrong = temp.resolve("wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        CliRun forged = run("backup-now", "alice", "--status-url", url, "--token-file", wrong.toString());
        assertEquals(1, forged.exit());
        assertTrue(forged.err().endsWith("(the one given is not the running host's); " + hint), forged.err());
        assertTrue(host.backupNowRequests.isEmpty(), "nothing was requested without the token");
        CliRun missing = run("status", "--status-url", url, "--token-file", temp.resolve("absent.token").toString());
        assertEquals("vaultkeep: error: no status token at " + temp.resolve("absent.token")
                + ": is the host running with this data-dir?\n", missing.err());
    }
}
