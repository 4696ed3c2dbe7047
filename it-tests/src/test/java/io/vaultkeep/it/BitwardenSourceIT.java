package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.source.bitwarden.BitwardenSource;
import io.vaultkeep.engine.account.AccountPhase;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Bitwarden source against the test server when things go wrong, and the command line's one-shot backup. */
class BitwardenSourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(400);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void aRefusedApiKeyFailsThatAccountClearlyWhileOthersCarryOnThroughThrottlingAndRevokedTokens() throws Exception {
        try (BitwardenTestServer server = BitwardenTestServer.start();
             VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(work.resolve("data"))
                     .withDebounce(Duration.ofMillis(300), Duration.ofSeconds(5)))) {
            TestAccount good = server.createAccount("good@example.org", "good master pw".toCharArray(), KdfParameters.pbkdf2(100_000));
            TestAccount bad = server.createAccount("bad@example.org", "bad master pw".toCharArray(), KdfParameters.argon2id(3, 16, 1));
            server.seed(good).items(10, "good item");
            server.seed(bad).items(3, "bad item");
            String oldSecret = bad.clientSecret();
            server.rotateApiKey(bad); // the host still has the old key
            // the server asks everyone to slow down twice, with Retry-After
            server.failNext("GET /api/accounts/revision-date", 2, new BitwardenTestServer.Fault(429, "1"));

            engine.register(EngineAccounts.bitwarden("good", work.resolve("backups"), server, good, good.clientSecret(), BitwardenSource.Mode.DECRYPT, POLL));
            engine.register(EngineAccounts.bitwarden("bad", work.resolve("backups"), server, bad, oldSecret, BitwardenSource.Mode.SEALED, POLL));

            AccountEntityStatus first = EngineAccounts.await(engine, "good", s -> s.lastSnapshotId() != null, WAIT);
            AccountEntityStatus refused = EngineAccounts.await(engine, "bad", s -> s.lastError() != null, WAIT);
            assertTrue(refused.lastError().contains("authentication failed") && refused.lastError().contains("refused the API key"),
                    refused.lastError());
            assertFalse(refused.lastError().contains(oldSecret), "the secret never shows");
            assertEquals(FailureKind.SOURCE_REFUSED, refused.lastErrorKind(), "a refused key needs a person, not retries");
            assertEquals(AccountPhase.FAILED, refused.state());
            assertNull(refused.lastSnapshotId());
            // a throttled poll is reported at once, so the first snapshot may come before the third poll
            long pollsDeadline = System.nanoTime() + WAIT.toNanos();
            while (server.requestCount("GET /api/accounts/revision-date") < 3) {
                assertTrue(System.nanoTime() < pollsDeadline, "polling went on after the 429s");
                Thread.sleep(50);
            }

            // the token is revoked: the client logs in again with its key, and the next change is backed up
            server.revokeTokens(good);
            server.seed(good).items(1, "after the revocation");
            AccountEntityStatus second = EngineAccounts.await(engine, "good", s -> s.lastSnapshotId() != null && !s.lastSnapshotId().equals(first.lastSnapshotId()), WAIT);
            assertNotEquals(first.lastSnapshotId(), second.lastSnapshotId());
            assertEquals(0, second.consecutiveFailures());
            assertTrue(server.requestCount("POST /identity/connect/token") >= 3, "logged in again after the revocation");
        }
    }

    @Test
    void withoutAnApiKeyDecryptModeLogsInWithTheMasterPasswordAndRenewsByRefreshToken() throws Exception {
        try (BitwardenTestServer server = BitwardenTestServer.start();
             VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(work.resolve("data"))
                     .withDebounce(Duration.ofMillis(300), Duration.ofSeconds(5)))) {
            server.setTokenLifetime(Duration.ofSeconds(1)); // every request finds its token due for renewal
            TestAccount dave = server.createAccount("dave@example.org", "dave master pw".toCharArray(), KdfParameters.argon2id(3, 16, 1));
            server.seed(dave).items(4, "dave item");
            engine.register(EngineAccounts.bitwarden("dave", work.resolve("backups"), server, dave, Optional.empty(),
                    BitwardenSource.Mode.DECRYPT, POLL));
            AccountEntityStatus first = EngineAccounts.await(engine, "dave", s -> s.lastSnapshotId() != null, WAIT);
            server.seed(dave).items(1, "dave later");
            EngineAccounts.await(engine, "dave", s -> s.lastSnapshotId() != null && !s.lastSnapshotId().equals(first.lastSnapshotId()), WAIT);
            assertTrue(server.requestCount("POST /identity/accounts/prelogin/password") <= 2, "logged in by password once (and read the KDF once for unlocking): " + server.requestCounts());
            assertTrue(server.requestCount("POST /identity/connect/token") >= 3, "renewed by refresh token: " + server.requestCounts());
        }
    }

    @Test
    void theCommandLineBacksUpOneSyncSealedAndRestoreAsksForTheMasterPassword() throws Exception {
        Launcher launcher = new Launcher(work);
        try (BitwardenTestServer server = BitwardenTestServer.start()) {
            TestAccount carol = server.createAccount("carol@example.org", "carol master pw".toCharArray(), KdfParameters.defaultPbkdf2());
            List<String> ids = server.seed(carol).items(6, "carol item");
            server.seed(carol).attachment(ids.get(0), "photo.jpg", "JPEG bytes of a photo".getBytes());
            Path repo = work.resolve("carol-repo");
            Map<String, String> env = Map.of("CID", carol.clientId(), "CSECRET", carol.clientSecret(), "MP", "carol master pw",
                    "WRONG", "not carol's password");

            Launcher.Result backup = launcher.run(env, "backup", "--bitwarden-server", server.url(), "--email", carol.email(),
                    "--client-id-env", "CID", "--client-secret-env", "CSECRET", "--mode", "sealed",
                    "--bitwarden-ca-file", server.caFile().toString(), "--location", repo.toString(), "--no-password");
            assertEquals(0, backup.exit(), backup.err());
            assertTrue(backup.out().contains("6 items, 1 attachment (1 new blob,"), backup.out());

            Launcher.Result wrong = launcher.run(env, "restore", "--location", repo.toString(), "--master-password-env", "WRONG",
                    "--out", work.resolve("wrong").toString());
            assertEquals(1, wrong.exit());
            assertTrue(wrong.err().contains("the master password does not open this sealed snapshot"), wrong.err());
            assertFalse(wrong.err().contains("not carol's password"));

            Path out = work.resolve("restored");
            Launcher.Result restore = launcher.run(env, "restore", "--location", repo.toString(), "--master-password-env", "MP",
                    "--out", out.toString());
            assertEquals(0, restore.exit(), restore.err());
            JsonNode vault = JSON.readTree(out.resolve("vault.json").toFile());
            assertEquals(6, vault.get("items").size());
            assertTrue(vault.toString().contains("carol item 0"), vault.toString());
            try (var files = Files.walk(out.resolve("attachments"))) {
                Path photo = files.filter(Files::isRegularFile).findFirst().orElseThrow();
                assertEquals("photo.jpg", photo.getFileName().toString());
                assertEquals("JPEG bytes of a photo", Files.readString(photo));
            }

            // decrypt mode without a master password is refused before any request
            Launcher.Result noPassword = launcher.run(env, "backup", "--bitwarden-server", server.url(), "--email", carol.email(),
                    "--client-id-env", "CID", "--client-secret-env", "CSECRET", "--location", repo.toString());
            assertEquals(2, noPassword.exit(), "a usage error");
            assertTrue(noPassword.err().contains("decrypt mode needs --master-password-env"), noPassword.err());
            // TLS is verified: without the server's CA file the backup fails, naming the cause
            Launcher.Result untrusted = launcher.run(env, "backup", "--bitwarden-server", server.url(), "--email", carol.email(),
                    "--client-id-env", "CID", "--client-secret-env", "CSECRET", "--mode", "sealed", "--location", repo.toString());
            assertEquals(1, untrusted.exit());
            assertTrue(untrusted.err().contains("TLS failed"), untrusted.err());
        }
    }

}
