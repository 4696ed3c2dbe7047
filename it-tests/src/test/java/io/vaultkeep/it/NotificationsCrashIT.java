package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host killed with SIGKILL after a commit and a failure were journaled, while its webhook still
 * refused the notices (503), delivers both after its restart: the refused one by its id, not lost.
 */
class NotificationsCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BACKUP_SECRET = "crash-notify-secret-2b7d";

    @TempDir
    Path work;

    /** A webhook receiver: records every POST body with the status it answered. */
    private static final class Receiver implements AutoCloseable {
        record Post(int status, JsonNode body) {}

        final HttpServer server;
        final List<Post> posts = new ArrayList<>();
        volatile int status = 503;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int answer = status;
                synchronized (posts) {
                    posts.add(new Post(answer, JSON.readTree(body)));
                }
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
        }

        Optional<Post> await(String account, String event, int status, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (posts) {
                    Optional<Post> found = posts.stream().filter(p -> p.status() == status
                            && account.equals(p.body().path("account").asText())
                            && event.equals(p.body().path("event").asText())).findFirst();
                    if (found.isPresent()) {
                        return found;
                    }
                }
                Thread.sleep(50);
            }
            return Optional.empty();
        }

        Optional<Post> awaitAny(int status, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (posts) {
                    Optional<Post> found = posts.stream().filter(p -> p.status() == status).findFirst();
                    if (found.isPresent()) {
                        return found;
                    }
                }
                Thread.sleep(50);
            }
            return Optional.empty();
        }

        List<Post> posts() {
            synchronized (posts) {
                return List.copyOf(posts);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void noticesJournaledBeforeAKillNineArriveAfterTheRestart() throws Exception {
        Path alice = Files.createDirectories(work.resolve("inbox-alice"));
        Files.writeString(alice.resolve("bitwarden_export.json"), """
                {"encrypted": false, "folders": [], "items": [{"id": "5b3c1a2d-0000-4000-8000-000000000001", "type": 2,
                 "name": "note", "notes": "hello", "secureNote": {"type": 0}, "favorite": false, "reprompt": 0}]}
                """);
        Path bob = Files.createDirectories(work.resolve("inbox-bob"));
        Files.writeString(bob.resolve("bitwarden_export.json"), "{ not an export");
        int port = freePort();
        try (Receiver receiver = new Receiver()) {
            Path config = work.resolve("vaultkeep.conf");
            Files.writeString(config, """
                    vaultkeep {
                      data-dir = "data"
                      status { port = %d }
                      debounce { quiet = 100ms, max-delay = 1s }
                      notify {
                        webhook { url = "http://127.0.0.1:%d/hook", events = [success, run-failed] }
                        attempts = 100
                        backoff = 200ms
                        max-backoff = 500ms
                      }
                      accounts = [
                        { id = "alice", password-env = "ALICE_PW",
                          source { export-folder { path = "inbox-alice", settle-time = 100ms } },
                          location { folder { path = "backups/alice" } } }
                        { id = "bob", source { export-folder { path = "inbox-bob", settle-time = 100ms } },
                          location { folder { path = "backups/bob" } } }
                      ]
                    }
                    """.formatted(port, receiver.server.getAddress().getPort()));
            Map<String, String> env = Map.of("ALICE_PW", BACKUP_SECRET);
            Path log = work.resolve("host.log");
            String refusedId;
            try (HostProcess host = HostProcess.start(config, port, env, log, "384m")) {
                host.awaitHealthy(Duration.ofSeconds(60));
                // refused while the host runs: the events are journaled, the first notice (in journal
                // order: alice's commit or bob's failure) is being retried, none is delivered
                refusedId = receiver.awaitAny(503, Duration.ofSeconds(40))
                        .orElseThrow(() -> new AssertionError("no notice was attempted; see " + log)).body().get("id").asText();
                host.kill9();
            }
            assertTrue(receiver.posts().stream().noneMatch(p -> p.status() == 200));
            receiver.status = 200;
            try (HostProcess host = HostProcess.start(config, port, env, log, "384m")) {
                host.awaitHealthy(Duration.ofSeconds(60));
                JsonNode committed = receiver.await("alice", "success", 200, Duration.ofSeconds(40))
                        .orElseThrow(() -> new AssertionError("alice's commit was not told after the restart; see " + log)).body();
                JsonNode failed = receiver.await("bob", "run-failed", 200, Duration.ofSeconds(40))
                        .orElseThrow(() -> new AssertionError("bob's failure was not told after the restart; see " + log)).body();
                assertTrue(List.of(committed.get("id").asText(), failed.get("id").asText()).contains(refusedId),
                        "the notice refused before the kill (" + refusedId + ") is delivered after it");
                assertFalse(committed.get("snapshotId").asText().isBlank(), committed.toString());
                host.stop();
            }
            for (Receiver.Post post : receiver.posts()) {
                assertFalse(post.body().toString().contains(BACKUP_SECRET), post.body().toString());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
