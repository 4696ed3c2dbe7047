package io.vaultkeep.storage.check;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.TestVaults;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a check reads of a snapshot: without {@code --read-data} the archive's structure (all of it) and the manifest,
 * not the vault's data; with it, everything. A flipped byte in the vault's data is found only by reading it; one in
 * the manifest's data, or in the vault's headers, by either.
 */
class SnapshotCheckTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-12-07T11:00:00Z"));

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void theVaultsDataIsReadOnlyWithReadData(boolean encrypted) throws Exception {
        Path root = temp.resolve("repo");
        char[] password = encrypted ? "pw".toCharArray() : null;
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, password, clock)) {
            BackupRun.Committed run = repo.backup(source(vaultJson(20, "run"), 20));
            Path snapshot = root.resolve(run.snapshotKey());
            byte[] sound = Files.readAllBytes(snapshot);

            // the middle of the vault's data: unread without --read-data
            Files.write(snapshot, flipped(sound, middleOfData(sound, SnapshotManifest.VAULT_ENTRY)));
            CheckReport metadata = RepositoryCheck.run(repo, false);
            assertTrue(metadata.ok(), metadata::toString);
            assertEquals(1, metadata.snapshotsChecked());
            CheckReport data = RepositoryCheck.run(repo, true);
            assertEquals(1, data.problems().size(), data::toString);
            assertEquals(CheckReport.Kind.CORRUPT, data.problems().get(0).kind());
            assertEquals(run.snapshotKey(), data.problems().get(0).path());

            // the manifest's data, and the vault's local header name: read either way
            for (byte[] damaged : new byte[][] {flipped(sound, middleOfData(sound, SnapshotManifest.ENTRY)),
                                                 flipped(sound, localHeader(sound, SnapshotManifest.VAULT_ENTRY) + 30)}) {
                Files.write(snapshot, damaged);
                for (boolean readData : new boolean[] {false, true}) {
                    CheckReport report = RepositoryCheck.run(repo, readData);
                    assertEquals(1, report.problems().size(), report::toString);
                    assertEquals(CheckReport.Kind.CORRUPT, report.problems().get(0).kind(), report::toString);
                    assertEquals(run.snapshotKey(), report.problems().get(0).path());
                }
            }
            Files.write(snapshot, sound);
            assertTrue(RepositoryCheck.run(repo, false).ok());
        }
    }

    private static byte[] flipped(byte[] bytes, int position) {
        byte[] copy = bytes.clone();
        copy[position] ^= (byte) 0xFF;
        return copy;
    }

    /** The named entry's central directory record (an archive without comment). */
    private static int centralRecord(byte[] zip, String name) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        int count = b.getShort(end + 10) & 0xFFFF;
        int at = b.getInt(end + 16);
        for (int i = 0; i < count; i++) {
            int nameLength = b.getShort(at + 28) & 0xFFFF;
            if (new String(zip, at + 46, nameLength, StandardCharsets.UTF_8).equals(name)) {
                return at;
            }
            at += 46 + nameLength + (b.getShort(at + 30) & 0xFFFF) + (b.getShort(at + 32) & 0xFFFF);
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    private static int localHeader(byte[] zip, String name) {
        return ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).getInt(centralRecord(zip, name) + 42);
    }

    /** A byte in the middle of the named entry's data (past an AES salt and verifier, before its authentication code). */
    private static int middleOfData(byte[] zip, String name) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int local = localHeader(zip, name);
        int data = local + 30 + (b.getShort(local + 26) & 0xFFFF) + (b.getShort(local + 28) & 0xFFFF);
        return data + b.getInt(centralRecord(zip, name) + 20) / 2;
    }
}
