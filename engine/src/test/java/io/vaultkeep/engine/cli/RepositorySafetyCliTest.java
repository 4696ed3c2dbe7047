package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.protocol.repository.SnapshotStats;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.store.FolderStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees of a hostile repository or export: one clear line, and nothing lost or touched outside. */
class RepositorySafetyCliTest {

    private static final Zip4jCodec CODEC = new Zip4jCodec();

    @TempDir
    Path temp;

    private Path export;
    private Path attachments;
    private Path repo;


    private CliRun run(String... args) {
        return CliRun.of(Map.<String, String>of(), args);
    }

    @BeforeEach
    void twoItemsWithAnAttachmentOfTheSameIdAndName() throws IOException {
        export = Files.writeString(temp.resolve("export.json"), """
                {"encrypted":false,"folders":[],"items":[
                 {"id":"i1","type":2,"name":"One","secureNote":{"type":0},"attachments":[{"id":"same","fileName":"codes.txt","size":"3"}]},
                 {"id":"i2","type":2,"name":"Two","secureNote":{"type":0},"attachments":[{"id":"same","fileName":"codes.txt","size":"3"}]}]}
                """);
        attachments = temp.resolve("attachments");
        Files.writeString(Files.createDirectories(attachments.resolve("i1")).resolve("codes.txt"), "one");
        Files.writeString(Files.createDirectories(attachments.resolve("i2")).resolve("codes.txt"), "two");
        repo = temp.resolve("repo");
    }

    private void backup() {
        CliRun backup = run("backup", "--from", export.toString(), "--attachments", attachments.toString(),
                "--location", repo.toString(), "--no-password");
        assertEquals(0, backup.exit(), backup.err());
    }

    @Test
    void restoreWritesBothAttachmentsOfTheSameNameAndSaysSo() throws IOException {
        backup();
        Path out = temp.resolve("out");

        CliRun restore = run("restore", "--location", repo.toString(), "--no-password", "--out", out.toString());

        assertEquals(0, restore.exit(), restore.err());
        assertEquals("one", Files.readString(out.resolve("attachments/same/codes.txt")));
        assertEquals("two", Files.readString(out.resolve("attachments/same/codes (2).txt")));
        assertEquals("note: attachments/same/codes.txt written as attachments/same/codes (2).txt: another attachment there has the same name",
                restore.err().strip());
    }

    @Test
    void aSymlinkedAttachmentIsRefused() throws IOException {
        Path secret = Files.writeString(temp.resolve("id_rsa"), "not for the backup");
        Files.createSymbolicLink(attachments.resolve("i1/key"), secret);

        CliRun backup = run("backup", "--from", export.toString(), "--attachments", attachments.toString(),
                "--location", repo.toString(), "--no-password");

        assertEquals(1, backup.exit());
        assertEquals("vaultkeep: error: " + attachments.resolve("i1/key") + " is a symbolic link: attachments are read only "
                + "from files in the attachments folder itself (copy the file there instead)", backup.err().strip());
        assertFalse(Files.exists(repo.resolve("snapshots")), "no snapshot was written");
    }

    @Test
    void aVaultBombIsOneLineAndRestoresNothing() throws IOException {
        backup();
        Path snapshot;
        try (var files = Files.list(repo.resolve("snapshots"))) {
            snapshot = files.findFirst().orElseThrow();
        }
        byte[] manifest = CODEC.readAll(new ByteArrayInputStream(Files.readAllBytes(snapshot)), null).get(SnapshotManifest.ENTRY);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        CODEC.write(bomb, List.of(EntrySource.ofBytes(SnapshotManifest.ENTRY, manifest), new EntrySource(SnapshotManifest.VAULT_ENTRY, out -> {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                out.write(zeros);
            }
        })), null);
        Files.write(snapshot, bomb.toByteArray());
        Path out = temp.resolve("out");

        CliRun restore = run("restore", "--location", repo.toString(), "--no-password", "--out", out.toString());

        assertEquals(VaultKeepCli.EXIT_DAMAGED, restore.exit(), restore.err());
        String line = restore.err().strip();
        assertTrue(line.startsWith("vaultkeep: error: corrupt object snapshots/" + snapshot.getFileName() + ": entry 'vault.json' inflates past "),
                line);
        assertFalse(line.contains("\n"), "one line, no stack trace: " + line);
        assertFalse(Files.exists(out));
    }

    @Test
    void pruneLeavesKeysThatAreNotSnapshotsInPlaceAndSaysSo() throws IOException {
        backup();
        Path precious = Files.writeString(Files.createDirectories(temp.resolve("elsewhere/cd")).resolve("precious.db"), "keep me");
        Files.createSymbolicLink(repo.resolve("blobs/zz"), temp.resolve("elsewhere"));
        try (BackupRepository repository = BackupRepository.open(FolderStore.open(repo), CODEC, null, Clock.systemUTC())) {
            IndexState base = repository.readIndex();
            IndexDocument catalogue = base.catalogue();
            Map<String, SnapshotEntry> snapshots = new HashMap<>(catalogue.snapshots());
            snapshots.put("20200101000000-a", new SnapshotEntry("blobs/zz/cd/precious.db", repository.now().minus(Duration.ofDays(3)), 1,
                    List.of(), ObjectEncryption.NONE, SnapshotStats.EMPTY));
            snapshots.put("20200101000000-b", new SnapshotEntry("repo.zip", repository.now().minus(Duration.ofDays(4)), 1,
                    List.of(), ObjectEncryption.NONE, SnapshotStats.EMPTY));
            repository.objects().commitIndex(catalogue.successor(UUID.randomUUID().toString(), base.nextGeneration(), base.headIds(),
                    repository.now(), snapshots, catalogue.attachments(), catalogue.blobs(), catalogue.contentHashes()));
        }

        CliRun prune = run("prune", "--location", repo.toString(), "--no-password", "--keep", "1");

        assertEquals(0, prune.exit(), prune.err());
        assertEquals("""
                warning: left blobs/zz/cd/precious.db in place: the index named it, but it is not an object of the kind prune deletes
                warning: left repo.zip in place: the index named it, but it is not an object of the kind prune deletes""",
                prune.err().strip());
        assertEquals("keep me", Files.readString(precious));
        assertTrue(Files.exists(repo.resolve("repo.zip")));
        assertEquals(0, run("snapshots", "--location", repo.toString(), "--no-password").exit());
    }
}
