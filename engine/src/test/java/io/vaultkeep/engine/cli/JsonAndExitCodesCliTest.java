package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.lock.LockRule;
import io.vaultkeep.storage.lock.RepositoryLockedException;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.FolderStore;
import java.time.Clock;
import io.vaultkeep.storage.repository.DamagedIndexException;
import io.vaultkeep.storage.repository.NoRepositoryException;
import io.vaultkeep.storage.repository.PasswordModeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} on backup, restore, check, init and repair (exactly the documented keys), and the exit codes of README. */
class JsonAndExitCodesCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path export;
    private Path attachments;
    private Path repo;
    private final Map<String, String> env = Map.of("BACKUP_PW", "correct horse battery", "WRONG_PW", "not it");


    private CliRun run(String... args) {
        return CliRun.of(env, args);
    }

    private JsonNode okJson(String... args) throws IOException {
        CliRun r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        return onlyJson(r);
    }

    /** stdout is exactly one JSON document on one line: nothing else a script would have to skip. */
    private static JsonNode onlyJson(CliRun r) throws IOException {
        assertEquals(1, r.out().lines().count(), r.out());
        return JSON.readTree(r.out());
    }

    private String[] withRepo(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--location", repo.toString(), "--password-env", "BACKUP_PW"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static void assertKeys(JsonNode node, String... keys) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(List.of(keys), names, node.toString());
    }

    @BeforeEach
    void oneItemWithAnAttachment() throws IOException {
        export = Files.writeString(temp.resolve("export.json"), """
                {"encrypted":false,"folders":[],"items":[
                 {"id":"i1","type":2,"name":"One","secureNote":{"type":0}}]}
                """);
        attachments = temp.resolve("attachments");
        Files.writeString(Files.createDirectories(attachments.resolve("i1")).resolve("codes.txt"), "123");
        repo = temp.resolve("repo");
    }

    @Test
    void initPrintsTheRepositoryItCreated() throws Exception {
        JsonNode created = okJson(withRepo("init", "--json"));
        assertKeys(created, "repositoryId", "encrypted", "location");
        assertTrue(created.get("encrypted").asBoolean());
        assertTrue(created.get("location").asText().contains(repo.getFileName().toString()), created.toString());
    }

    @Test
    void backupPrintsTheSnapshotCommittedOrTheOneThatAlreadyHeldTheVault() throws Exception {
        JsonNode first = okJson(withRepo("backup", "--json", "--from", export.toString(), "--attachments", attachments.toString()));
        assertKeys(first, "snapshot", "unchangedSince", "retention", "warnings");
        assertKeys(first.get("snapshot"), "id", "generation", "items", "attachments", "newBlobs", "reusedBlobs", "skippedAttachments");
        assertEquals(1, first.get("snapshot").get("items").asInt());
        assertEquals(1, first.get("snapshot").get("attachments").asInt());
        assertEquals(1, first.get("snapshot").get("newBlobs").asInt());
        assertTrue(first.get("unchangedSince").isNull() && first.get("retention").isNull());
        assertEquals(0, first.get("warnings").size());

        JsonNode unchanged = okJson(withRepo("backup", "--json", "--from", export.toString(), "--attachments", attachments.toString()));
        assertTrue(unchanged.get("snapshot").isNull());
        assertEquals(first.get("snapshot").get("id"), unchanged.get("unchangedSince"));

        JsonNode kept = okJson(withRepo("backup", "--json", "--force", "--keep", "1", "--from", export.toString(),
                "--attachments", attachments.toString()));
        assertKeys(kept.get("retention"), "keep", "kept", "dropped", "deletedBlobs");
        assertEquals(1, kept.get("retention").get("keep").asInt());
        assertEquals(kept.get("snapshot").get("id"), kept.get("retention").get("kept").get(0));
        assertEquals(first.get("snapshot").get("id"), kept.get("retention").get("dropped").get(0));
    }

    @Test
    void backupWarningsGoToStderrAndIntoTheJson() throws Exception {
        Files.writeString(Files.createDirectories(attachments.resolve("gone")).resolve("x.txt"), "x");
        CliRun r = run(withRepo("backup", "--json", "--from", export.toString(), "--attachments", attachments.toString()));
        assertEquals(0, r.exit(), r.err());
        JsonNode report = onlyJson(r);
        assertEquals(1, report.get("warnings").size(), report.toString());
        assertTrue(r.err().contains(report.get("warnings").get(0).asText()), r.err());
    }

    @Test
    void restorePrintsWhatItWrote() throws Exception {
        okJson(withRepo("backup", "--json", "--from", export.toString(), "--attachments", attachments.toString()));
        Path out = temp.resolve("restored");
        JsonNode restored = okJson(withRepo("restore", "--json", "--out", out.toString()));
        assertKeys(restored, "snapshot", "format", "output", "items", "attachments", "bytes", "renamed");
        assertEquals("folder", restored.get("format").asText());
        assertEquals(out.toString(), restored.get("output").asText());
        assertEquals(1, restored.get("attachments").asInt());
        assertEquals(Files.size(out.resolve("vault.json")) + 3, restored.get("bytes").asLong());
        assertEquals(1, restored.get("items").asInt());

        JsonNode zip = okJson(withRepo("restore", "--json", "--format", "zip", "--out", temp.resolve("zip").toString()));
        assertEquals("zip", zip.get("format").asText());
        assertTrue(zip.get("output").asText().endsWith(".zip"));
    }

    @Test
    void checkPrintsCountsAndProblemsWithExitCode3() throws Exception {
        okJson(withRepo("backup", "--json", "--from", export.toString(), "--attachments", attachments.toString()));
        JsonNode ok = okJson(withRepo("check", "--json", "--read-data"));
        assertKeys(ok, "ok", "readData", "indexesRead", "snapshotsChecked", "blobsChecked", "problems", "notes");
        assertTrue(ok.get("ok").asBoolean() && ok.get("readData").asBoolean());
        assertEquals(1, ok.get("snapshotsChecked").asInt());
        assertEquals(1, ok.get("blobsChecked").asInt());

        Path blob;
        try (Stream<Path> files = Files.walk(repo.resolve("blobs"))) {
            blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] damaged = Files.readAllBytes(blob);
        damaged[damaged.length / 2] ^= 0x01;
        Files.write(blob, damaged);
        CliRun r = run(withRepo("check", "--json", "--read-data"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, r.exit(), r.err());
        JsonNode found = onlyJson(r);
        assertFalse(found.get("ok").asBoolean());
        JsonNode problem = found.get("problems").get(0);
        assertKeys(problem, "kind", "path", "detail");
        assertEquals("corrupt", problem.get("kind").asText());
        assertEquals(repo.relativize(blob).toString(), problem.get("path").asText());
    }

    @Test
    void withoutATerminalLongWorkDrawsNoProgress() throws Exception {
        okJson(withRepo("backup", "--json", "--from", export.toString(), "--attachments", attachments.toString()));
        for (String[] args : List.of(withRepo("check", "--read-data"), withRepo("restore", "--out", temp.resolve("r").toString()),
                withRepo("backup", "--force", "--quiet", "--from", export.toString(), "--attachments", attachments.toString()))) {
            CliRun r = run(args);
            assertEquals(0, r.exit(), r.err());
            assertEquals("", r.err(), "tests run without a console: " + String.join(" ", args));
        }
    }

    @Test
    void repairPrintsWhatItRecoveredAndLost() throws Exception {
        okJson(withRepo("backup", "--json", "--from", export.toString()));
        JsonNode nothing = okJson(withRepo("repair", "--json"));
        assertKeys(nothing, "needed", "dryRun", "indexKey", "generation", "snapshots", "blobs", "recovered", "lost");
        assertFalse(nothing.get("needed").asBoolean());
        assertTrue(nothing.get("indexKey").isNull());

        damageNewestIndex();
        CliRun dry = run(withRepo("repair", "--json", "--dry-run"));
        JsonNode wouldDo = onlyJson(dry);
        assertTrue(wouldDo.get("needed").asBoolean() && wouldDo.get("dryRun").asBoolean());
        assertTrue(wouldDo.get("indexKey").isNull());
        assertEquals(dry.exit() == 0, wouldDo.get("lost").isEmpty(), dry.out());
    }

    private void damageNewestIndex() throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(repo.resolve("indexes"))) {
            newest = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        byte[] damaged = Files.readAllBytes(newest);
        damaged[damaged.length / 2] ^= 0x01;
        Files.write(newest, damaged);
    }

    @Test
    void noRepositoryExits10() {
        CliRun r = run("snapshots", "--location", temp.resolve("empty").toString(), "--password-env", "BACKUP_PW");
        assertEquals(VaultKeepCli.EXIT_NO_REPOSITORY, r.exit(), r.err());
        assertTrue(r.err().contains("no repository at"), r.err());
        assertEquals("", r.out());
        CliRun restore = run("restore", "--json", "--location", temp.resolve("empty").toString(), "--out", temp.resolve("o").toString());
        assertEquals(10, restore.exit(), restore.err());
        assertEquals("", restore.out(), "with --json a failure prints nothing on stdout");
    }

    @Test
    void aWrongMissingOrNeedlessPasswordExits12() throws Exception {
        okJson(withRepo("init", "--json"));
        CliRun wrong = run("check", "--json", "--location", repo.toString(), "--password-env", "WRONG_PW");
        assertEquals(VaultKeepCli.EXIT_WRONG_PASSWORD, wrong.exit(), wrong.err());
        assertTrue(wrong.err().contains("wrong backup password"), wrong.err());
        assertEquals("", wrong.out());
        CliRun none = run("snapshots", "--location", repo.toString());
        assertEquals(12, none.exit(), none.err());
        Path plain = temp.resolve("plain");
        run("init", "--location", plain.toString(), "--no-password");
        CliRun needless = run("snapshots", "--location", plain.toString(), "--password-env", "BACKUP_PW");
        assertEquals(12, needless.exit(), needless.err());
    }

    @Test
    void workThatStopsAtADamagedIndexExits13() throws Exception {
        okJson(withRepo("backup", "--json", "--from", export.toString()));
        okJson(withRepo("backup", "--json", "--force", "--from", export.toString()));
        damageNewestIndex();
        CliRun backup = run(withRepo("backup", "--json", "--from", export.toString()));
        assertEquals(VaultKeepCli.EXIT_DAMAGED, backup.exit(), backup.err());
        assertEquals("", backup.out());
        CliRun check = run(withRepo("check", "--json"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, check.exit(), "check reports damage as found problems: " + check.err());
    }

    @Test
    void aWriterThatFindsTheLockHeldGivesUpAfterItsWaitWithExit11AndWritesNothing() throws Exception {
        okJson(withRepo("backup", "--json", "--from", export.toString()));
        try (BackupRepository holder = BackupRepository.open(FolderStore.open(repo), new Zip4jCodec(),
                "correct horse battery".toCharArray(), Clock.systemUTC());
             WriterLock.Holding held = holder.lockAs("the test's other writer", LockRule.DEFAULT, warning -> { }).lock()) {
            int before = holder.readIndex().catalogue().snapshots().size();

            long started = System.nanoTime();
            CliRun backup = run(withRepo("backup", "--json", "--force", "--lock-wait", "1s", "--from", export.toString()));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(VaultKeepCli.EXIT_LOCKED, backup.exit(), backup.err());
            assertEquals("", backup.out());
            assertTrue(backup.err().contains("the test's other writer"), "names who holds it: " + backup.err());
            assertTrue(waitedMillis >= 1000, "waited its second: " + waitedMillis + " ms");

            CliRun prune = run(withRepo("prune", "--keep", "5", "--lock-wait", "0"));
            assertEquals(VaultKeepCli.EXIT_LOCKED, prune.exit(), prune.err());
            assertEquals(before, holder.readIndex().catalogue().snapshots().size(), "nothing was committed");
        }
        CliRun badWait = run(withRepo("prune", "--keep", "5", "--lock-wait", "soon"));
        assertEquals(2, badWait.exit(), badWait.err());
        assertTrue(badWait.err().contains("--lock-wait"), badWait.err());
        okJson(withRepo("backup", "--json", "--force", "--lock-wait", "0", "--from", export.toString()));
    }

    @Test
    void eachFailureMapsToItsExitCode() {
        assertEquals(10, VaultKeepCli.exitCodeOf(new NoRepositoryException("no repository at folder /x")));
        assertEquals(11, VaultKeepCli.exitCodeOf(new RepositoryLockedException("repository folder /x is locked by vaultkeep backup")));
        assertEquals(12, VaultKeepCli.exitCodeOf(new WrongBackupPasswordException(new WrongPasswordException("wrong backup password"))));
        assertEquals(12, VaultKeepCli.exitCodeOf(new PasswordModeException("is encrypted: a backup password is required")));
        assertEquals(13, VaultKeepCli.exitCodeOf(new DamagedIndexException("index generation 2 is unreadable")));
        assertEquals(13, VaultKeepCli.exitCodeOf(new CorruptArchiveException("snapshots/x.zip: bad CRC")));
        // deeper in the repository, an object its key does not open is damage, not a wrong password
        assertEquals(13, VaultKeepCli.exitCodeOf(new WrongPasswordException("blobs/x: its object key does not open it")));
        assertEquals(13, VaultKeepCli.exitCodeOf(new java.io.UncheckedIOException(new CorruptArchiveException("x"))));
        assertEquals(1, VaultKeepCli.exitCodeOf(new IOException("connection reset")));
        assertEquals(1, VaultKeepCli.exitCodeOf(new IllegalArgumentException("no such snapshot")));
    }
}
