package io.vaultkeep.engine.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.host.OneNoteExport;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.VaultKeepHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real host tells its receivers what its journal recorded: a commit and a failure reach a webhook
 * and a mail server, without a secret; a notice the receiver did not take before the host stopped
 * comes again after the restart.
 */
class HostNotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BACKUP_SECRET = "backup-secret-5d1e";
    private static final String EXPORT_SECRET = "export-secret-c0a7";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private Path config(String notify) throws IOException {
        OneNoteExport.writeInto(temp.resolve("inbox-alice"));
        Path broken = Files.createDirectories(temp.resolve("inbox-bob"));
        Files.writeString(broken.resolve("bitwarden_export.json"), "{ this is not an export");
        Path conf = temp.resolve("vaultkeep.conf");
        Files.writeString(conf, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  notify { %s }
                  accounts = [
                    { id = "alice", password-env = "ALICE_PW",
                      source { export-folder { path = "inbox-alice", settle-time = 100ms } },
                      location { folder { path = "backups/alice" } } }
                    { id = "bob",
                      source { export-folder { path = "inbox-bob", settle-time = 100ms, export-password-env = "BOB_EXPORT_PW" } },
                      location { folder { path = "backups/bob" } } }
                  ]
                }
                """.formatted(freePort(), notify));
        return conf;
    }

    private static HostConfig load(Path conf) throws Exception {
        Map<String, String> env = Map.of("ALICE_PW", BACKUP_SECRET, "BOB_EXPORT_PW", EXPORT_SECRET);
        return HostConfigLoader.load(conf, env::get);
    }

    private static List<JsonNode> bodies(RecordingReceiver receiver) throws IOException {
        List<JsonNode> bodies = new java.util.ArrayList<>();
        for (RecordingReceiver.Request request : receiver.requests()) {
            bodies.add(JSON.readTree(request.body()));
        }
        return bodies;
    }

    private static JsonNode await(RecordingReceiver receiver, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode body : bodies(receiver)) {
                if (wanted.test(body)) {
                    return body;
                }
            }
            receiver.awaitRequests(receiver.requests().size() + 1, Duration.ofMillis(200));
        }
        throw new AssertionError("no such notice came: " + receiver.requests());
    }

    private static Predicate<JsonNode> notice(String account, String event) {
        return body -> account.equals(body.get("account").asText()) && event.equals(body.get("event").asText());
    }

    @Test
    void aCommitAndAFailureReachTheWebhookAndTheMailServerWithoutASecret() throws Exception {
        try (RecordingReceiver webhook = RecordingReceiver.ok();
             SmtpReceiver smtp = SmtpReceiver.start(temp.resolve("smtp"), SmtpReceiver.Mode.STARTTLS)) {
            Path conf = config("""
                    webhook { url = "%s", events = [success, run-failed, needs-attention] }
                    smtp { host = "127.0.0.1", port = %d, ca-file = "%s", from = "vaultkeep@example.org",
                           to = ["ops@example.org"], events = [run-failed] }
                    """.formatted(webhook.url("/hook"), smtp.port(), smtp.caFile()));
            try (VaultKeepHost host = VaultKeepHost.start(load(conf))) {
                JsonNode success = await(webhook, notice("alice", "success"));
                assertTrue(success.get("snapshotId").asText().length() > 4, success.toString());
                assertEquals(1, success.get("counts").get("ciphers").asInt(), success.toString());
                JsonNode failed = await(webhook, notice("bob", "run-failed"));
                assertFalse(failed.get("error").asText().isBlank(), failed.toString());
                List<String> mails = smtp.awaitMails(1, PATIENCE);
                assertEquals(1, mails.size(), smtp.transcript());
                assertTrue(mails.get(0).contains("account bob: backup failed"), mails.get(0));

                for (RecordingReceiver.Request request : webhook.requests()) {
                    assertFalse(request.body().contains(BACKUP_SECRET) || request.body().contains(EXPORT_SECRET), request.body());
                }
                assertFalse(smtp.transcript().contains(BACKUP_SECRET) || smtp.transcript().contains(EXPORT_SECRET));
            }
        }
    }

    @Test
    void aNoticeNotTakenBeforeTheHostStoppedComesAfterTheRestart() throws Exception {
        try (RecordingReceiver webhook = RecordingReceiver.answering(n -> 503)) {
            Path conf = config("""
                    webhook { url = "%s", events = [run-failed] }
                    attempts = 100
                    backoff = 100ms
                    max-backoff = 200ms
                    """.formatted(webhook.url("/hook")));
            String id;
            try (VaultKeepHost host = VaultKeepHost.start(load(conf))) {
                id = await(webhook, notice("bob", "run-failed")).get("id").asText();
            }
            int refused = webhook.requests().size();
            webhook.answer(n -> 200);
            try (VaultKeepHost host = VaultKeepHost.start(load(conf))) {
                webhook.awaitRequests(refused + 1, PATIENCE);
                JsonNode redelivered = JSON.readTree(webhook.requests().get(refused).body());
                assertEquals(id, redelivered.get("id").asText(), "the same journal event's notice, not a new failure's");
                // taken now: a later failure of bob is not a first failure, so nothing more is told
                Thread.sleep(1500);
                assertEquals(refused + 1, webhook.requests().size(), webhook.requests().toString());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
