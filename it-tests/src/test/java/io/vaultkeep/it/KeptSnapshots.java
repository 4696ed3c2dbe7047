package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks every crash and cluster test makes of an account's repository, whatever its source. */
final class KeptSnapshots {

    private KeptSnapshots() {}

    /**
     * Asserts that {@code repo} checks clean with all data read, holds at most {@code retention}
     * snapshots, and still holds every snapshot in {@code seen} unless retention dropped it (older than
     * the oldest kept).
     *
     * @return its snapshots, oldest first
     */
    static List<Map.Entry<String, SnapshotEntry>> checkedOldestFirst(BackupRepository repo, String account, Set<String> seen,
                                                                     int retention) throws IOException {
        CheckReport report = RepositoryCheck.run(repo, true);
        assertTrue(report.ok(), account + ": " + report.problems());
        IndexDocument catalogue = repo.readIndex().catalogue();
        assertTrue(catalogue.snapshots().size() <= retention, "retention " + retention + " holds");
        String oldestKept = catalogue.snapshots().keySet().stream().min(String::compareTo).orElseThrow();
        for (String id : seen) {
            assertTrue(catalogue.snapshots().containsKey(id) || id.compareTo(oldestKept) < 0,
                    account + ": committed snapshot " + id + " vanished though it is newer than the oldest kept " + oldestKept);
        }
        List<Map.Entry<String, SnapshotEntry>> byTime = new ArrayList<>(catalogue.snapshots().entrySet());
        byTime.sort(Map.Entry.comparingByValue((x, y) -> x.createdAt().compareTo(y.createdAt())));
        return byTime;
    }
}
