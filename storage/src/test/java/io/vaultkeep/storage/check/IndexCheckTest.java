package io.vaultkeep.storage.check;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.repository.TestVaults;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --read-data} each index is checked strictly as it is read (one pass, not a read and then a
 * verification): what an index that is damaged only where a writer's read does not look, or damaged
 * beyond reading, gets reported as, and which catalogue the check then works on, must stay what the
 * two passes gave.
 */
class IndexCheckTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-12-07T01:00:00Z"));

    private Path repositoryWithThreeSnapshots() throws Exception {
        Path root = temp.resolve("repo");
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, "pw".toCharArray(), clock)) {
            for (int run = 0; run < 3; run++) {
                repo.backup(source(vaultJson(5, "run " + run), 5));
                clock.advance(Duration.ofMinutes(1));
            }
        }
        return root;
    }

    private static Path newestIndex(Path root) throws Exception {
        try (Stream<Path> indexes = Files.list(root.resolve(RepositoryPaths.INDEXES))) {
            return indexes.max(Path::compareTo).orElseThrow();
        }
    }

    private static String keyOf(Path root, Path file) {
        return root.relativize(file).toString();
    }

    @Test
    void anIndexWhoseCentralDirectoryDisagreesIsCorruptButStillTheCatalogue() throws Exception {
        Path root = repositoryWithThreeSnapshots();
        Path newest = newestIndex(root);
        changeCentralDate(newest);
        try (BackupRepository repo = BackupRepository.open(FolderStore.open(root), CODEC, "pw".toCharArray(), clock)) {
            for (int readers : List.of(1, 4)) {
                CheckReport report = RepositoryCheck.run(repo, true, readers);
                assertEquals(3, report.snapshotsChecked(), () -> "the index still lists all three: " + report);
                assertEquals(1, report.problems().size(), report::toString);
                CheckReport.Problem problem = report.problems().get(0);
                assertEquals(CheckReport.Kind.CORRUPT, problem.kind());
                assertEquals(keyOf(root, newest), problem.path());
                assertTrue(problem.detail().startsWith("corrupt object " + keyOf(root, newest)), problem::toString);
            }
            CheckReport metadataOnly = RepositoryCheck.run(repo, false);
            assertTrue(metadataOnly.ok(), () -> "without reading the data the index reads: " + metadataOnly);
        }
    }

    /**
     * The central directory's date of the last entry changed: a writer's read of the entry succeeds, the strict check
     * (local and central headers agree) does not.
     */
    private static void changeCentralDate(Path object) throws Exception {
        byte[] bytes = Files.readAllBytes(object);
        int central = -1;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2) {
                central = i;
            }
        }
        assertTrue(central > 0, "a central header");
        bytes[central + 14] ^= 0x01; // last modified date
        Files.write(object, bytes);
    }

    @Test
    void aRepoObjectWhoseCentralDirectoryDisagreesIsCorruptWithReadData() throws Exception {
        Path root = repositoryWithThreeSnapshots();
        changeCentralDate(root.resolve(RepositoryPaths.REPO));
        try (BackupRepository repo = BackupRepository.open(FolderStore.open(root), CODEC, "pw".toCharArray(), clock)) {
            for (int readers : List.of(1, 4)) {
                CheckReport report = RepositoryCheck.run(repo, true, readers);
                assertEquals(3, report.snapshotsChecked(), report::toString);
                assertEquals(1, report.problems().size(), report::toString);
                CheckReport.Problem problem = report.problems().get(0);
                assertEquals(CheckReport.Kind.CORRUPT, problem.kind());
                assertEquals(RepositoryPaths.REPO, problem.path());
            }
            CheckReport metadataOnly = RepositoryCheck.run(repo, false);
            assertTrue(metadataOnly.ok(), () -> "without reading the data repo.zip is not read strictly: " + metadataOnly);
        }
    }

    @Test
    void anIndexThatDoesNotReadIsReportedOnceAsUnreadable() throws Exception {
        Path root = repositoryWithThreeSnapshots();
        Path newest = newestIndex(root);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x5a; // inside the encrypted entry: its authentication fails
        Files.write(newest, bytes);
        try (BackupRepository repo = BackupRepository.open(FolderStore.open(root), CODEC, "pw".toCharArray(), clock)) {
            CheckReport withData = RepositoryCheck.run(repo, true, 4);
            assertEquals(2, withData.snapshotsChecked(), () -> "the catalogue is the generation below: " + withData);
            assertEquals(RepositoryCheck.run(repo, false).problems().stream().filter(p -> p.path().equals(keyOf(root, newest))).toList(),
                    withData.problems().stream().filter(p -> p.path().equals(keyOf(root, newest))).toList(),
                    "reported as unreadable, as without --read-data, and not a second time");
            assertEquals(1, withData.problems().stream().filter(p -> p.path().equals(keyOf(root, newest))).count(), withData::toString);
        }
    }
}
