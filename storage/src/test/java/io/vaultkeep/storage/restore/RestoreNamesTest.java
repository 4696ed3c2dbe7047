package io.vaultkeep.storage.restore;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.ExportPaths;
import io.vaultkeep.storage.repository.TestVaults;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names from vault data: sanitised before they reach a manifest, and never lost to a clash on restore. */
class RestoreNamesTest {

    @TempDir
    Path temp;

    private BackupRepository repo;

    @BeforeEach
    void plainRepository() throws IOException {
        repo = BackupRepository.create(FolderStore.open(temp.resolve("repo")), CODEC, null,
                new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z")));
    }

    @AfterEach
    void close() throws IOException {
        repo.close();
    }

    @Test
    void twoAttachmentsWithTheSameIdAndNameAreBothRestoredToAFolder() throws Exception {
        byte[] first = randomBytes(300, 1);
        byte[] second = randomBytes(400, 2);
        BackupRun.Committed run = repo.backup(source(vaultJson(2, "x"), 2,
                attachment("item-0", "att", "codes.txt", first), attachment("item-1", "att", "codes.txt", second)));
        Path out = temp.resolve("restored");

        SnapshotRestore.Restored restored = SnapshotRestore.toDirectory(repo.objects(), repo.readIndex().catalogue(), run.snapshotId(), out);

        assertArrayEquals(first, Files.readAllBytes(out.resolve("attachments/att/codes.txt")));
        assertArrayEquals(second, Files.readAllBytes(out.resolve("attachments/att/codes (2).txt")));
        assertEquals(List.of("attachments/att/codes.txt written as attachments/att/codes (2).txt: another attachment there has the same name"),
                restored.renamed());
    }

    @Test
    void twoAttachmentsOfOneItemWithTheSameNameAreBothInTheBitwardenZip() throws Exception {
        byte[] first = randomBytes(300, 1);
        byte[] second = randomBytes(400, 2);
        BackupRun.Committed run = repo.backup(source(vaultJson(1, "x"), 1,
                attachment("item-0", "att-1", "scan", first), attachment("item-0", "att-2", "scan", second)));
        Path zip = temp.resolve("out/export.zip");

        SnapshotRestore.Restored restored = SnapshotRestore.toBitwardenZip(repo.objects(), repo.readIndex().catalogue(), run.snapshotId(), zip);

        Map<String, byte[]> entries = entries(zip);
        assertEquals(Set.of("data.json", "attachments/item-0/scan", "attachments/item-0/scan (2)"), entries.keySet());
        assertArrayEquals(first, entries.get("attachments/item-0/scan"));
        assertArrayEquals(second, entries.get("attachments/item-0/scan (2)"));
        assertEquals(1, restored.renamed().size());
    }

    @Test
    void aHostileIdOrNameReachesTheManifestSanitised() throws Exception {
        byte[] bytes = randomBytes(100, 3);
        BackupRun.Committed run = repo.backup(source(vaultJson(1, "x"), 1, attachment("item-0", "../../etc", "../passwd", bytes)));
        IndexDocument catalogue = repo.readIndex().catalogue();
        ManifestAttachment a = repo.objects().readSnapshot(catalogue.snapshots().get(run.snapshotId())).manifest().attachments().get(0);

        assertEquals("attachments/.._.._etc/.._passwd", a.exportPath());
        assertEquals(".._passwd", a.fileName());
        assertEquals("../../etc", a.attachmentId(), "the id stays what the vault calls it (fingerprints and sealed restore use it)");
        Path out = temp.resolve("deep/restored");
        SnapshotRestore.toDirectory(repo.objects(), catalogue, run.snapshotId(), out);
        assertArrayEquals(bytes, Files.readAllBytes(out.resolve("attachments/.._.._etc/.._passwd")));
        try (Stream<Path> written = Files.walk(temp.resolve("deep"))) {
            assertEquals(Set.of("", "restored", "restored/vault.json", "restored/attachments", "restored/attachments/.._.._etc",
                    "restored/attachments/.._.._etc/.._passwd"),
                    written.map(p -> temp.resolve("deep").relativize(p).toString()).collect(java.util.stream.Collectors.toSet()),
                    "nothing is written outside the restore folder");
        }
    }

    @Test
    void theFirstFreeNameCountsUpBeforeTheExtension() {
        Set<String> taken = Set.of("a.txt", "a (2).txt", "README", ".env");
        assertEquals("b.txt", ExportPaths.firstFree("b.txt", taken::contains));
        assertEquals("a (3).txt", ExportPaths.firstFree("a.txt", taken::contains));
        assertEquals("README (2)", ExportPaths.firstFree("README", taken::contains));
        assertEquals(".env (2)", ExportPaths.firstFree(".env", taken::contains), "a leading dot is not an extension");
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
