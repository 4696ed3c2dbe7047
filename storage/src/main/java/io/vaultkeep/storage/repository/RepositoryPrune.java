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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Retention applied to a repository: {@link #plan} is pure; {@link #execute} writes the pruned
 * index, then deletes dropped snapshots, then unreferenced blobs. Executing a plan again, or after
 * a crash at any point, finishes the same prune and deletes nothing else.
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

    /** The outcome: the pruned index (null when none was needed) and how many objects were deleted. */
    public record Result(String indexKey, int deletedSnapshots, int deletedBlobs) {}

    public static Result execute(RepositoryObjects objects, PrunePlan plan, Instant now) throws IOException {
        if (!plan.dropsAnything()) {
            return new Result(null, 0, 0);
        }
        IndexState current = IndexReader.read(objects).requireWritable();
        String indexKey = commitPrunedIndex(objects, current, plan, now);
        // re-read: only what the committed catalogue no longer lists may go
        IndexDocument after = indexKey == null ? current.catalogue() : IndexReader.read(objects).catalogue();
        Set<String> listedPaths = new HashSet<>();
        after.snapshots().values().forEach(s -> listedPaths.add(s.path()));
        after.blobs().values().forEach(b -> listedPaths.add(b.path()));
        int snapshots = 0;
        for (String key : plan.droppedSnapshotKeys()) {
            if (!listedPaths.contains(key) && objects.store().delete(key)) {
                snapshots++;
            }
        }
        int blobs = 0;
        for (String key : plan.droppedBlobKeys()) {
            if (!listedPaths.contains(key) && objects.store().delete(key)) {
                blobs++;
            }
        }
        return new Result(indexKey, snapshots, blobs);
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
