package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.IndexDocument;
import java.io.IOException;
import java.util.Collection;

/**
 * Undoing an uncommitted run, also after a crash (the journal remembers what the run wrote): its
 * blobs and snapshot are deleted unless the newest index lists them
 * (invariant «rollback deletes only what no index lists», docs/design.md). Idempotent.
 */
public final class RunRollback {

    private RunRollback() {}

    /** @return how many objects were deleted */
    public static int rollback(RepositoryObjects objects, Collection<String> blobIds, String snapshotKeyOrNull)
            throws IOException {
        // a damaged newer index may list what this run wrote: delete nothing on a partial view
        // (invariant «never build on an unreadable index»)
        IndexDocument latest = IndexReader.read(objects).requireWritable().catalogue();
        int deleted = 0;
        for (String blobId : blobIds) {
            // only keys of the run's own kinds, the ids may come from a journal on disk («confined keys»)
            if (RepositoryPaths.isPlainName(blobId) && !latest.blobs().containsKey(blobId)
                    && objects.store().delete(RepositoryPaths.blob(blobId))) {
                deleted++;
            }
        }
        if (snapshotKeyOrNull != null && RepositoryPaths.isSnapshotKey(snapshotKeyOrNull)
                && latest.snapshots().values().stream().noneMatch(s -> snapshotKeyOrNull.equals(s.path()))
                && objects.store().delete(snapshotKeyOrNull)) {
            deleted++;
        }
        return deleted;
    }
}
