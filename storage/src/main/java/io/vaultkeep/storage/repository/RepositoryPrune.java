package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.retention.RetentionPlan;
import io.vaultkeep.storage.retention.RetentionRule;
import io.vaultkeep.storage.retention.SnapshotAge;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Retention applied to a repository: {@link #plan} is pure; {@link #execute} writes the pruned
 * index, then deletes dropped snapshots, then unreferenced blobs
 * (invariant «prune order: pruned index, then snapshots, then blobs», docs/design.md). Executing a plan again, or after a crash at
 * any point, finishes the same prune and deletes nothing else.
 */
public final class RepositoryPrune {

    private RepositoryPrune() {}

    /** What retention would drop from this catalogue when evaluated at {@code at}. */
    public static PrunePlan plan(IndexDocument catalogue, int maxSnapshots, Instant at) {
        List<SnapshotAge> ages = catalogue.snapshots().entrySet().stream()
                .map(e -> new SnapshotAge(e.getKey(), e.getValue().createdAt()))
                .toList();
        RetentionPlan retention = RetentionRule.select(ages, maxSnapshots, at);
        if (!retention.dropsAnything()) {
            return new PrunePlan(at, maxSnapshots, retention.kept(), List.of(), List.of(), List.of(), List.of());
        }
        Set<String> referenced = new HashSet<>();
        for (String id : retention.kept()) {
            referenced.addAll(catalogue.snapshots().get(id).blobIds());
        }
        List<String> droppedBlobs = catalogue.blobs().keySet().stream().filter(id -> !referenced.contains(id)).sorted().toList();
        return new PrunePlan(at, maxSnapshots, retention.kept(), retention.dropped(),
                retention.dropped().stream().map(id -> catalogue.snapshots().get(id).path()).toList(),
                droppedBlobs,
                droppedBlobs.stream().map(id -> catalogue.blobs().get(id).path()).toList());
    }

    /**
     * The outcome: the pruned index (null when none was needed), how many objects were deleted, and
     * the keys left in place because they are not of the kind the plan said (a crafted or damaged
     * index naming {@code repo.zip} or an index as a snapshot): dropped from the catalogue, never deleted.
     */
    public record Result(String indexKey, int deletedSnapshots, int deletedBlobs, List<String> refusedKeys) {
        public Result {
            refusedKeys = List.copyOf(refusedKeys);
        }
    }

    /**
     * Executes a journaled prune. What it deletes comes from the index it reads, not from the plan:
     * while the index still lists snapshots the plan drops, retention is evaluated again on that
     * index (at the plan's instant, with {@code maxSnapshots} from the account's own settings) and
     * that is what goes; once a pruned index no longer lists them (a prune resumed after a crash),
     * only the plan's ids that the index does not list are deleted, under the names the format
     * gives those ids.
     */
    public static Result execute(RepositoryObjects objects, PrunePlan journaled, int maxSnapshots, Instant now)
            throws IOException {
        if (!journaled.dropsAnything()) {
            return new Result(null, 0, 0, List.of());
        }
        // invariant «never build on an unreadable index»
        IndexState current = IndexReader.read(objects).requireWritable();
        PrunePlan plan = confirm(journaled, current.catalogue(), maxSnapshots);
        String indexKey = commitPrunedIndex(objects, current, plan, now);
        // re-read: only what the committed catalogue no longer lists may go
        // («prune order: pruned index, then snapshots, then blobs»)
        IndexDocument after = indexKey == null ? current.catalogue() : IndexReader.read(objects).catalogue();
        Set<String> listedPaths = new HashSet<>();
        after.snapshots().values().forEach(s -> listedPaths.add(s.path()));
        after.blobs().values().forEach(b -> listedPaths.add(b.path()));
        List<String> refused = new ArrayList<>();
        int snapshots = deleteOwn(objects, plan.droppedSnapshotIds(), plan.droppedSnapshotKeys(),
                RepositoryPaths::isSnapshotKeyOf, listedPaths, refused);
        int blobs = deleteOwn(objects, plan.droppedBlobIds(), plan.droppedBlobKeys(),
                RepositoryPaths::isBlobKeyOf, listedPaths, refused);
        return new Result(indexKey, snapshots, blobs, refused);
    }

    /**
     * Deletes each dropped object whose key is its id's (ids and keys are parallel lists), unless
     * the catalogue still lists it; other keys are refused (invariant «confined keys»).
     * @return how many were deleted
     */
    private static int deleteOwn(RepositoryObjects objects, List<String> ids, List<String> keys,
                                 BiPredicate<String, String> ownKey, Set<String> listedPaths, List<String> refused)
            throws IOException {
        int deleted = 0;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (i >= ids.size() || !ownKey.test(ids.get(i), key)) {
                refused.add(key);
            } else if (!listedPaths.contains(key) && objects.store().delete(key)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** The plan {@link #execute} carries out, derived from {@code catalogue} as described there. */
    static PrunePlan confirm(PrunePlan journaled, IndexDocument catalogue, int maxSnapshots) {
        if (journaled.droppedSnapshotIds().stream().anyMatch(catalogue.snapshots()::containsKey)) {
            return plan(catalogue, maxSnapshots, journaled.evaluatedAt());
        }
        List<String> snapshots = journaled.droppedSnapshotIds().stream().filter(RepositoryPaths::isPlainName).toList();
        List<String> blobs = journaled.droppedBlobIds().stream()
                .filter(id -> RepositoryPaths.isPlainName(id) && !catalogue.blobs().containsKey(id)).toList();
        return new PrunePlan(journaled.evaluatedAt(), maxSnapshots, catalogue.snapshots().keySet().stream().sorted().toList(),
                snapshots, snapshots.stream().map(RepositoryPaths::snapshot).toList(),
                blobs, blobs.stream().map(RepositoryPaths::blob).toList());
    }

    /** Writes the catalogue without the plan's snapshots and blobs, unless it already lacks them. */
    private static String commitPrunedIndex(RepositoryObjects objects, IndexState current, PrunePlan plan, Instant now)
            throws IOException {
        IndexDocument catalogue = current.catalogue();
        Set<String> droppedSnapshots = Set.copyOf(plan.droppedSnapshotIds());
        Set<String> droppedBlobs = Set.copyOf(plan.droppedBlobIds());
        boolean stillListed = catalogue.snapshots().keySet().stream().anyMatch(droppedSnapshots::contains)
                || catalogue.blobs().keySet().stream().anyMatch(droppedBlobs::contains);
        if (!stillListed) {
            return null;
        }
        Map<String, SnapshotEntry> snapshots = new HashMap<>(catalogue.snapshots());
        snapshots.keySet().removeAll(droppedSnapshots);
        // a blob a kept snapshot still needs is never dropped, whatever the plan said
        Set<String> needed = new HashSet<>();
        snapshots.values().forEach(s -> needed.addAll(s.blobIds()));
        Map<String, BlobEntry> blobs = new HashMap<>(catalogue.blobs());
        blobs.keySet().removeIf(id -> droppedBlobs.contains(id) && !needed.contains(id));
        Map<String, AttachmentEntry> attachments = new HashMap<>(catalogue.attachments());
        attachments.values().removeIf(a -> !blobs.containsKey(a.blobId()));
        Map<String, String> hashes = new HashMap<>(catalogue.contentHashes());
        hashes.values().removeIf(blobId -> !blobs.containsKey(blobId));
        IndexDocument pruned = catalogue.successor(UUID.randomUUID().toString(), current.nextGeneration(),
                current.headIds(), now.truncatedTo(ChronoUnit.MILLIS), snapshots, attachments, blobs, hashes);
        objects.commitIndex(pruned);
        return RepositoryPaths.index(pruned.generation(), pruned.indexId());
    }
}
