package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile repository against the real CLI process, with a heap far smaller than what the attack needs. */
class HostileRepositoryIT {

    private static final Zip4jCodec CODEC = new Zip4jCodec();
    /** Inflating this into memory needs several times the heap the CLI gets below. */
    private static final int BOMB_MIB = 320;

    @TempDir
    Path temp;

    @Test
    void aVaultBombIsRefusedInOneLineWithinASmallHeap() throws Exception {
        Launcher launcher = new Launcher(temp);
        Path repo = temp.resolve("repo");
        Launcher.Result backup = launcher.run(Map.of(), "backup", "--from", "examples/inbox/alice/bitwarden_export.json",
                "--location", repo.toString(), "--no-password");
        assertEquals(0, backup.exit(), backup.err());
        Path snapshot;
        try (var files = Files.list(repo.resolve("snapshots"))) {
            snapshot = files.findFirst().orElseThrow();
        }
        byte[] manifest = CODEC.readAll(new ByteArrayInputStream(Files.readAllBytes(snapshot)), null).get(SnapshotManifest.ENTRY);
        try (OutputStream out = Files.newOutputStream(snapshot)) {
            CODEC.write(out, List.of(EntrySource.ofBytes(SnapshotManifest.ENTRY, manifest),
                    new EntrySource(SnapshotManifest.VAULT_ENTRY, vault -> {
                        byte[] zeros = new byte[1 << 20];
                        for (int i = 0; i < BOMB_MIB; i++) {
                            vault.write(zeros);
                        }
                    })), null);
        }
        Path out = temp.resolve("restored");

        Launcher.Result restore = launcher.run(Map.of("VAULTKEEP_JAVA_OPTS", "-Xmx64m -XX:+ExitOnOutOfMemoryError"),
                "restore", "--location", repo.toString(), "--no-password", "--out", out.toString());

        assertEquals(13, restore.exit(), "exit 13: the repository is damaged: " + restore.err());
        String line = restore.err().strip();
        assertTrue(line.startsWith("vaultkeep: error: corrupt object snapshots/" + snapshot.getFileName()
                + ": entry 'vault.json' inflates past "), line);
        assertFalse(line.contains("\n"), "one line, no stack trace");
        assertFalse(Files.exists(out), "nothing restored");
    }
}
