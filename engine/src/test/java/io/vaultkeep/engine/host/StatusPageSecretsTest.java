package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.HostConfig;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real host's status pages, as {@link HostLoggingTest} has its log: one account commits (its
 * backup password a marker), one is refused (its WebDAV password a marker). No page carries a
 * marker or the status token, and the committing account's page lists its snapshot, read from
 * its encrypted repository.
 */
class StatusPageSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BACKUP_SECRET = "backup-secret-5e1d";
    private static final String DAV_SECRET = "dav-secret-0b77";

    @TempDir
    Path dir;

    @Test
    void noSecretReachesAnyPage() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("bitwarden_export.json"), """
                {"encrypted": false, "folders": [], "items": [{"id": "5b3c1a2d-0000-4000-8000-000000000001", "type": 2,
                 "name": "note", "notes": "hello", "secureNote": {"type": 0}, "favorite": false, "reprompt": 0}]}
                """);
        int port = freePort();
        Path conf = dir.resolve("vaultkeep.conf");
        Files.writeString(conf, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  accounts = [
                    { id = "alice", password-env = "ALICE_PW", source { export-folder { path = "inbox", settle-time = 100ms } },
                      location { folder { path = "backups/alice" } } }
                    { id = "bob", source { push {} },
                      location { webdav { url = "http://127.0.0.1:%d/bob", user = "bob", password-env = "BOB_DAV_PW" } } }
                  ]
                }
                """.formatted(port, freePort()));
        HostConfig config = HostConfigLoader.load(conf, Map.of("ALICE_PW", BACKUP_SECRET, "BOB_DAV_PW", DAV_SECRET)::get);
        HttpClient http = HttpClient.newHttpClient();
        try (VaultKeepHost host = VaultKeepHost.start(config)) {
            String token = StatusToken.read(dir.resolve("data").resolve(StatusToken.FILE_NAME));
            URI base = URI.create("http://127.0.0.1:" + port);
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
