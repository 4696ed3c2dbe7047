package io.vaultkeep.engine.account;

import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexState;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Settles a run the journal recorded as planned but not committed (the process died, or a step
 * failed): if the newest index lists its snapshot, it did commit and only the journal missed it;
 * otherwise what it wrote is deleted, except objects an index lists. Idempotent.
 */
public final class RunResolution {

    private RunResolution() {}

    public sealed interface Outcome {}

    public record FoundCommitted(long indexGeneration, Instant createdAt) implements Outcome {}

    public record RolledBack(int deletedObjects) implements Outcome {}

    public static Outcome resolve(BackupRepository repository, String snapshotId, String snapshotKey,
                                  List<String> newBlobIds) throws IOException {
        IndexState index = repository.readIndex();
        SnapshotEntry listed = index.catalogue().snapshots().get(snapshotId);
        if (listed != null && listed.path().equals(snapshotKey)) {
            return new FoundCommitted(index.generation(), listed.createdAt());
        }
        return new RolledBack(repository.rollbackRun(newBlobIds, snapshotKey));
    }
}
