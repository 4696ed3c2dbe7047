package io.vaultkeep.engine.account;

import java.time.Instant;
import java.util.List;

/** What an account announces to subscribers after the journal has recorded it. */
public sealed interface BackupNotice extends ClusterSerializable {

    String accountId();

    /**
     * A snapshot is in the index (also when recovery found an interrupted run already committed).
     *
     * @param warnings what the source left out of the snapshot, one line each
     */
    record SnapshotCommitted(String accountId, String runId, String snapshotId, Instant createdAt,
                             boolean foundOnRecovery, List<String> warnings) implements BackupNotice {
        public SnapshotCommitted {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }
    }

    /** A run found the newest snapshot holding exactly the vault and its attachments: nothing committed. */
    record Unchanged(String accountId, String runId, String snapshotId, Instant checkedAt) implements BackupNotice {}

    record BackupFailed(String accountId, String runId, FailureKind kind, String message,
                        int consecutiveFailures, Instant nextRetryAt) implements BackupNotice {}

    record SnapshotsPruned(String accountId, String pruneId, int deletedSnapshots, int deletedBlobs)
            implements BackupNotice {}
}
