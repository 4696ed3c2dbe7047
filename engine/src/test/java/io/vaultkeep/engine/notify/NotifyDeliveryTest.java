package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyEvent;
import io.vaultkeep.engine.config.NotifyTarget;
import io.vaultkeep.engine.config.NotifySettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of target against a real receiver: an HTTP server here, aiosmtpd, a shell. */
class NotifyDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnumSet<NotifyEvent> ALL = EnumSet.allOf(NotifyEvent.class);
    private static final Notice FAILED = new Notice("account|alice#7/run-failed", NotifyEvent.RUN_FAILED, "alice",
            Instant.parse("2026-01-02T03:04:05Z"), "run-1", null, null, "LOCATION_UNAVAILABLE",
            "the location did not answer\n.\nQUIT");
    private static final Notice COMMITTED = new Notice("account|alice#9/success", NotifyEvent.SUCCESS, "alice",
            Instant.parse("2026-01-02T03:05:00Z"), "run-2", "snap-2", new Notice.Counts(12, 3, 5, 7), null, null);

    @TempDir
    Path temp;

    private final List<Duration> slept = new ArrayList<>();

    private Deliveries deliveries(NotifyTarget target, int attempts) {
        NotifySettings settings = new NotifySettings(List.of(target), Map.of(), attempts, Duration.ofMillis(10),
                Duration.ofMillis(40), 3);
        return new Deliveries(settings, Deliveries::senderOf, d -> {
            slept.add(d);
            Thread.sleep(d.toMillis());
        });
    }

    private static NotifyTarget.Webhook webhook(String url) {
        return new NotifyTarget.Webhook(URI.create(url), Optional.empty(), Duration.ofSeconds(5), ALL);
    }

    @Test
    void aWebhookGetsTheNoticeAsJson() throws Exception {
        try (RecordingReceiver receiver = RecordingReceiver.ok()) {
            List<Deliveries.Outcome> outcomes = deliveries(webhook(receiver.url("/hook")), 3).deliver(COMMITTED);
            assertTrue(outcomes.get(0).delivered(), outcomes.toString());
            RecordingReceiver.Request request = receiver.requests().get(0);
            assertEquals("POST", request.method());
            JsonNode body = JSON.readTree(request.body());
            assertEquals("success", body.get("event").asText());
            assertEquals("alice", body.get("account").asText());
            assertEquals("snap-2", body.get("snapshotId").asText());
            assertEquals(5, body.get("counts").get("newBlobs").asInt());
            assertEquals("account|alice#9/success", body.get("id").asText());
            assertTrue(body.get("error").isNull(), request.body());
        }
    }

    @Test
    void aWebhookAnswering500IsRetriedWithGrowingWaitsUntilItTakesTheNotice() throws Exception {
        try (RecordingReceiver receiver = RecordingReceiver.answering(n -> n <= 3 ? 500 : 200)) {
            Deliveries.Outcome outcome = deliveries(webhook(receiver.url("/hook")), 6).deliver(FAILED).get(0);
            assertTrue(outcome.delivered(), outcome.toString());
            assertEquals(4, outcome.attempts());
            assertEquals(4, receiver.requests().size());
            assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), slept);
            JsonNode body = JSON.readTree(receiver.requests().get(3).body());
            assertEquals("LOCATION_UNAVAILABLE", body.get("failure").asText());
            assertEquals(FAILED.error(), body.get("error").asText());
        }
    }

    @Test
    void aDeadWebhookIsGivenUpAfterItsAttempts() throws Exception {
        Deliveries.Outcome outcome = deliveries(webhook("http://127.0.0.1:" + freePort() + "/hook"), 3).deliver(FAILED).get(0);
        assertFalse(outcome.delivered());
        assertEquals(3, outcome.attempts());
        assertEquals(2, slept.size());
    }

    @Test
    void aTargetGetsOnlyTheEventsItTakes() throws Exception {
        try (RecordingReceiver receiver = RecordingReceiver.ok()) {
            NotifyTarget target = new NotifyTarget.Webhook(URI.create(receiver.url("/hook")), Optional.empty(),
                    Duration.ofSeconds(5), NotifyEvent.DEFAULT);
            assertEquals(List.of(), deliveries(target, 1).deliver(COMMITTED));
            assertEquals(1, deliveries(target, 1).deliver(FAILED).size());
            assertEquals(1, receiver.requests().size());
        }
    }

    @Test
    void pingsGoToStartSuccessAndFail() throws Exception {
        try (RecordingReceiver receiver = RecordingReceiver.ok()) {
            NotifyTarget ping = new NotifyTarget.Ping(URI.create(receiver.url("/ping/abc/")), Optional.empty(),
                    Duration.ofSeconds(5), ALL);
            Deliveries deliveries = deliveries(ping, 1);
            deliveries.deliver(new Notice("x/run-started", NotifyEvent.RUN_STARTED, "alice", null, "r", null, null, null, null));
            deliveries.deliver(COMMITTED);
            deliveries.deliver(FAILED);
            deliveries.deliver(new Notice("x/recovered", NotifyEvent.RECOVERED, "alice", null, "r", null, null, null, null));
            assertEquals(List.of("/ping/abc/start", "/ping/abc", "/ping/abc/fail"),
                    receiver.requests().stream().map(RecordingReceiver.Request::path).toList());
            assertTrue(receiver.requests().get(2).body().contains("backup failed"), receiver.requests().get(2).body());
        }
    }

    @Test
    void aCommandGetsTheNoticeInItsEnvironmentAndOnItsInput() throws Exception {
        Path out = temp.resolve("env.txt");
        Path json = temp.resolve("notice.json");
        NotifyTarget command = new NotifyTarget.Command(List.of("/bin/sh", "-c",
                "printf '%s|%s|%s|%s' \"$VAULTKEEP_EVENT\" \"$VAULTKEEP_ACCOUNT\" \"$VAULTKEEP_SNAPSHOT\" \"$VAULTKEEP_NOTICE_ID\" > "
                        + out + "; cat > " + json), Duration.ofSeconds(10), ALL);
        assertTrue(deliveries(command, 1).deliver(COMMITTED).get(0).delivered());
        assertEquals("success|alice|snap-2|account|alice#9/success", Files.readString(out));
        assertEquals("snap-2", JSON.readTree(Files.readString(json)).get("snapshotId").asText());
    }

    @Test
    void aCommandThatFailsOrHangsIsNotDelivered() throws Exception {
        Deliveries.Outcome failing = deliveries(new NotifyTarget.Command(List.of("/bin/sh", "-c", "exit 3"),
                Duration.ofSeconds(10), ALL), 2).deliver(FAILED).get(0);
        assertFalse(failing.delivered());
        assertEquals("exited with 3", failing.lastError());
        long started = System.nanoTime();
        Deliveries.Outcome hanging = deliveries(new NotifyTarget.Command(List.of("/bin/sleep", "30"),
                Duration.ofMillis(300), ALL), 1).deliver(FAILED).get(0);
        assertFalse(hanging.delivered());
        assertTrue(hanging.lastError().contains("killed"), hanging.lastError());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    }

    private static NotifyTarget.Smtp smtp(SmtpReceiver server, NotifyTarget.SmtpSecurity security, Optional<Path> caFile) {
        return new NotifyTarget.Smtp("127.0.0.1", server.port(), security, Optional.empty(), Optional.empty(),
                "vaultkeep@example.org", List.of("ops@example.org", "oncall@example.org"), caFile, Duration.ofSeconds(10), ALL);
    }

    @Test
    void aMailGoesOverStartTlsWithItsLinesDotStuffed() throws Exception {
        try (SmtpReceiver server = SmtpReceiver.start(temp.resolve("smtp"), SmtpReceiver.Mode.STARTTLS)) {
            Deliveries.Outcome outcome = deliveries(smtp(server, NotifyTarget.SmtpSecurity.STARTTLS, Optional.of(server.caFile())), 1)
                    .deliver(FAILED).get(0);
            assertTrue(outcome.delivered(), outcome + "\n" + server.transcript());
            List<String> mails = server.awaitMails(1, Duration.ofSeconds(10));
            assertEquals(1, mails.size(), server.transcript());
            String mail = mails.get(0);
            assertTrue(mail.contains("Subject: [VaultKeep] account alice: backup failed: the location did not answer . QUIT"), mail);
            assertTrue(mail.contains("To: <ops@example.org>, <oncall@example.org>"), mail);
            // the lone "." of the error reached the server as a line of the mail, not as its end
            assertTrue(mail.contains("\n.\nQUIT\n"), mail);
            assertTrue(mail.contains("failure:  LOCATION_UNAVAILABLE"), mail);
        }
    }

    @Test
    void aMailGoesOverImplicitTls() throws Exception {
        try (SmtpReceiver server = SmtpReceiver.start(temp.resolve("smtps"), SmtpReceiver.Mode.TLS)) {
            Deliveries.Outcome outcome = deliveries(smtp(server, NotifyTarget.SmtpSecurity.TLS, Optional.of(server.caFile())), 1)
                    .deliver(COMMITTED).get(0);
            assertTrue(outcome.delivered(), outcome + "\n" + server.transcript());
            String mail = server.awaitMails(1, Duration.ofSeconds(10)).get(0);
            assertTrue(mail.contains("snapshot: snap-2") && mail.contains("counts:   12 items, 3 attachments, 5 new blobs, 7 reused"), mail);
        }
    }

    @Test
    void startTlsIsRequiredAndTheCertificateVerified() throws Exception {
        try (SmtpReceiver plain = SmtpReceiver.start(temp.resolve("plain"), SmtpReceiver.Mode.PLAIN)) {
            Deliveries.Outcome outcome = deliveries(smtp(plain, NotifyTarget.SmtpSecurity.STARTTLS, Optional.empty()), 1)
                    .deliver(FAILED).get(0);
            assertFalse(outcome.delivered());
            assertTrue(outcome.lastError().contains("does not offer STARTTLS"), outcome.lastError());
            assertEquals(List.of(), plain.mails());
        }
        try (SmtpReceiver tls = SmtpReceiver.start(temp.resolve("untrusted"), SmtpReceiver.Mode.STARTTLS)) {
            Deliveries.Outcome outcome = deliveries(smtp(tls, NotifyTarget.SmtpSecurity.STARTTLS, Optional.empty()), 1)
                    .deliver(FAILED).get(0);
            assertFalse(outcome.delivered(), "a certificate no CA of the JVM signed is refused");
            assertEquals(List.of(), tls.mails());
        }
    }

    @Test
    void aPlainMailToALocalRelayWorksAndALoginIsNeverSentWithoutAuthOffered() throws Exception {
        try (SmtpReceiver plain = SmtpReceiver.start(temp.resolve("relay"), SmtpReceiver.Mode.PLAIN)) {
            assertTrue(deliveries(smtp(plain, NotifyTarget.SmtpSecurity.NONE, Optional.empty()), 1).deliver(COMMITTED).get(0).delivered());
            assertEquals(1, plain.awaitMails(1, Duration.ofSeconds(10)).size());
            String secret = "smtp-secret-4be1";
            NotifyTarget.Smtp withLogin = new NotifyTarget.Smtp("127.0.0.1", plain.port(), NotifyTarget.SmtpSecurity.NONE,
                    Optional.of("ops"), Optional.of(Secret.of("test", secret.toCharArray())), "vaultkeep@example.org",
                    List.of("ops@example.org"), Optional.empty(), Duration.ofSeconds(10), ALL);
            Deliveries.Outcome outcome = deliveries(withLogin, 1).deliver(FAILED).get(0);
            assertFalse(outcome.delivered());
            assertTrue(outcome.lastError().contains("AUTH PLAIN"), outcome.lastError());
            assertFalse(plain.transcript().contains(secret));
        }
    }

    @Test
    void dotStuffingDoublesALeadingDotAndEndsLinesWithCrLf() {
        assertEquals("..a\r\nb\r\n...c\r\n", SmtpNoticeSender.dotStuffed(".a\nb\r\n..c\n"));
        assertEquals("x\r\n", SmtpNoticeSender.dotStuffed("x"));
    }

    @Test
    void aPingUrlKeepsItsPathAndAddsTheEventsSuffix() {
        URI base = URI.create("https://hc-ping.com/5f2c");
        assertEquals(URI.create("https://hc-ping.com/5f2c/fail"), HttpNoticeSender.pingUrl(base, NotifyEvent.LOCATION_FULL).get());
        assertEquals(URI.create("https://hc-ping.com/5f2c"), HttpNoticeSender.pingUrl(base, NotifyEvent.SUCCESS).get());
        assertTrue(HttpNoticeSender.pingUrl(base, NotifyEvent.RECOVERED).isEmpty());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
