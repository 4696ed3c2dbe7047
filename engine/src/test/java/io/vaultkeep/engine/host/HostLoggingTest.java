package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.HostConfig.LogFormat;
import io.vaultkeep.engine.config.HostConfig.LogLevel;
import io.vaultkeep.engine.config.HostConfig.LogSettings;
import io.vaultkeep.engine.config.HostConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The host's log as an operator reads it: dated lines or JSON objects, in a rolled file, never a secret; nor a secret on its status pages. */
public class HostLoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BACKUP_SECRET = "backup-secret-7f3a";
    private static final String DAV_SECRET = "dav-secret-91cc";

    @TempDir
    Path temp;

    @AfterEach
    void backToDefaults() {
        HostLogging.apply(LogSettings.DEFAULT.withLevel(LogLevel.WARN));
    }

    private static LogSettings settings(LogLevel level, LogFormat format, Path file, long maxFileSize) {
        return new LogSettings(level, format, Optional.of(file), maxFileSize, 3);
    }

    @Test
    void textLinesCarryAnIsoDateTimeAndZone() throws IOException {
        Path file = temp.resolve("host.log");
        HostLogging.apply(settings(LogLevel.INFO, LogFormat.TEXT, file, 10L << 20));
        LoggerFactory.getLogger(VaultKeepHost.class).info("account {}: started", "alice");
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO  "
                + "i\\.v\\.engine\\.host\\.VaultKeepHost - account alice: started"), lines.get(0));
    }

    @Test
    void theLevelAppliesToVaultKeepWhileLibrariesStayAtWarn() throws IOException {
        Path file = temp.resolve("host.log");
        HostLogging.apply(settings(LogLevel.DEBUG, LogFormat.TEXT, file, 10L << 20));
        LoggerFactory.getLogger("io.vaultkeep.engine.account.AccountBackup").debug("own debug");
        LoggerFactory.getLogger("org.apache.pekko.cluster.Cluster").info("library info");
        LoggerFactory.getLogger("org.apache.pekko.cluster.Cluster").warn("library warning");
        String log = Files.readString(file);
        assertTrue(log.contains("own debug") && log.contains("library warning"), log);
        assertFalse(log.contains("library info"), log);

        HostLogging.apply(settings(LogLevel.WARN, LogFormat.TEXT, file, 10L << 20));
        LoggerFactory.getLogger(VaultKeepHost.class).info("quiet now");
        assertFalse(Files.readString(file).contains("quiet now"));
    }

    @Test
    void jsonIsOneObjectPerLineWithTheFormattedMessage() throws IOException {
        Path file = temp.resolve("host.json");
        HostLogging.apply(settings(LogLevel.INFO, LogFormat.JSON, file, 10L << 20));
        LoggerFactory.getLogger(NoticeLog.class).info("account {}: snapshot {} committed", "alice", "s1");
        LoggerFactory.getLogger(NoticeLog.class).warn("account {}: failed", "bob");
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("INFO", first.get("level").asText());
        assertEquals(NoticeLog.class.getName(), first.get("loggerName").asText());
        assertEquals("account alice: snapshot s1 committed", first.get("formattedMessage").asText());
        assertTrue(first.get("timestamp").asLong() > 0, lines.get(0));
        assertEquals("WARN", JSON.readTree(lines.get(1)).get("level").asText());
    }

    @Test
    void theFileRollsWhenItReachesItsSize() throws Exception {
        Path file = temp.resolve("host.log");
        HostLogging.apply(settings(LogLevel.INFO, LogFormat.TEXT, file, 1024));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (rolled().isEmpty() && System.nanoTime() < deadline) {
            LoggerFactory.getLogger(VaultKeepHost.class).info("a line long enough to fill a kilobyte soon: {}", "x".repeat(200));
            Thread.sleep(20); // logback looks at the size at most every few events/ms
        }
        List<Path> rolled = rolled();
        assertFalse(rolled.isEmpty(), "a rolled file beside host.log");
        assertTrue(rolled.get(0).getFileName().toString().matches("host\\.\\d{4}-\\d{2}-\\d{2}\\.0\\.log"), rolled.toString());
    }

    private List<Path> rolled() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(f -> !f.getFileName().toString().equals("host.log")).toList();
        }
    }

    /**
     * A real host at the most talkative level, logging to its file in each format: one account
     * commits (its backup password a marker), one is refused (its WebDAV password a marker). Neither
     * marker is logged.
     */
    @Test
    void noSecretReachesTheLogFileInEitherFormat() throws Exception {
        for (LogFormat format : LogFormat.values()) {
            Path dir = Files.createDirectories(temp.resolve(format.name().toLowerCase()));
            Files.createDirectories(dir.resolve("logs"));
            HostConfig config = twoAccounts(dir, "log { level = trace, format = %s, file = \"logs/host.log\" }"
                    .formatted(format.name().toLowerCase()));
            HostLogging.apply(config.log());
            try (VaultKeepHost host = VaultKeepHost.start(config)) {
                Path log = dir.resolve("logs/host.log");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(Files.exists(log) && Files.readString(log).contains("committed")) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                String written = Files.readString(log);
                assertTrue(written.contains("account alice: snapshot ") && written.contains("account bob"), written);
                assertFalse(written.contains(BACKUP_SECRET) || written.contains(DAV_SECRET), "a secret in the " + format + " log");
            }
        }
    }

    /**
     * The same host's status pages: no page carries a marker, the status token or the session, and
     * alice's page lists her snapshot, read from her encrypted repository.
     */
    @Test
    void noSecretReachesAStatusPage() throws Exception {
        HostConfig config = twoAccounts(temp, "");
        HttpClient http = HttpClient.newHttpClient();
        try (VaultKeepHost host = VaultKeepHost.start(config)) {
            String token = StatusToken.read(config.dataDir().resolve(StatusToken.FILE_NAME));
            URI base = URI.create("http://127.0.0.1:" + host.statusPort());
            String snapshot = awaitSnapshot(http, base, token, "alice");
            String login = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/page-login")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body()).get("path").asText();
            String setCookie = http.send(HttpRequest.newBuilder(base.resolve(login)).build(), HttpResponse.BodyHandlers.ofString())
                    .headers().firstValue("Set-Cookie").orElseThrow();
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            StringBuilder all = new StringBuilder();
            for (String path : List.of("/", "/accounts/alice", "/accounts/bob", "/login?code=wrong")) {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/html")
                        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
                all.append(page.body());
                if (path.equals("/accounts/alice")) {
                    assertEquals(200, page.statusCode());
                    assertTrue(page.body().contains("data-snapshot=\"" + snapshot + "\""), page.body());
                }
                if (path.equals("/accounts/bob")) {
                    assertTrue(page.body().contains("id=\"repository-problem\""), "bob's location is down: " + page.body());
                }
            }
            String pages = all.toString();
            assertTrue(pages.contains("<tr class=\"account failing\" data-account=\"bob\""), pages);
            assertFalse(pages.contains(BACKUP_SECRET), "the backup password in a page");
            assertFalse(pages.contains(DAV_SECRET), "the WebDAV password in a page");
            assertFalse(pages.contains(token), "the status token in a page");
            assertFalse(pages.contains(cookie.substring(cookie.indexOf('=') + 1)), "the session in a page");
        }
    }

    /**
     * A host config in {@code dir} with {@code extra} in its block: alice commits a one-note vault to an
     * encrypted folder repository (her backup password a marker); bob's WebDAV server is not there
     * (his WebDAV password a marker).
     */
    private static HostConfig twoAccounts(Path dir, String extra) throws Exception {
        Path inbox = OneNoteExport.writeInto(dir.resolve("inbox")); // made if missing
        Path conf = dir.resolve("vaultkeep.conf");
        Files.writeString(conf, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  %s
                  accounts = [
                    { id = "alice", password-env = "ALICE_PW", source { export-folder { path = "inbox", settle-time = 100ms } },
                      location { folder { path = "backups/alice" } } }
                    { id = "bob", source { push {} },
                      location { webdav { url = "http://127.0.0.1:%d/bob", user = "bob", password-env = "BOB_DAV_PW" } } }
                  ]
                }
                """.formatted(freePort(), extra, freePort()));
        return HostConfigLoader.load(conf, Map.of("ALICE_PW", BACKUP_SECRET, "BOB_DAV_PW", DAV_SECRET)::get);
    }

    private static String awaitSnapshot(HttpClient http, URI base, String token, String account) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/accounts/" + account))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && JSON.readTree(r.body()).hasNonNull("lastSnapshotId")) {
                return JSON.readTree(r.body()).get("lastSnapshotId").asText();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no snapshot of " + account + " within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
