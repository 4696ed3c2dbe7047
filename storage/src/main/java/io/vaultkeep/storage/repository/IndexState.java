package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository's catalogue as a reader sees it: the merged heads of the newest readable
 * generation, and the generation the next index must take.
 *
 * @param generation the generation the catalogue was read from (0 for an empty repository)
 * @param headIds the ids of the merged head indexes: the parents of the next index
 * @param nextGeneration one more than the highest generation named in {@code indexes/}, so that a
 *     new index always supersedes even a damaged newer one (invariant «commit point»)
 * @param conflicts what the heads disagreed on beyond bookkeeping (corruption of those entries)
 * @param unreadable indexes of this generation or newer that could not be read: the catalogue may
 *     lack what they list, so nothing may be written on top of it
 *     (invariant «never build on an unreadable index», docs/design.md) until {@code repair} has superseded them
 */
public record IndexState(IndexDocument catalogue, long generation, List<String> headIds, long nextGeneration,
                         List<IndexMerge.Conflict> conflicts, List<UnreadableIndex> unreadable) {

    /** An index object that exists but does not open, or does not match its name. */
    public record UnreadableIndex(String key, long generation, String problem) {
        @Override
        public String toString() {
            return "index generation " + generation + " (" + key + ") is unreadable: " + problem;
        }
    }

    public IndexState {
        headIds = List.copyOf(headIds);
        conflicts = List.copyOf(conflicts);
        unreadable = List.copyOf(unreadable);
    }

    public static IndexState empty() {
        return new IndexState(IndexDocument.empty(), 0, List.of(), 1, List.of(), List.of());
    }

    public boolean isEmpty() {
        return generation == 0;
    }

    /** The catalogue's newest snapshot (by creation time, then id), or empty when there is none. */
    public static Optional<Map.Entry<String, SnapshotEntry>> newestSnapshot(IndexDocument catalogue) {
        return catalogue.snapshots().entrySet().stream()
                .max(Comparator.comparing((Map.Entry<String, SnapshotEntry> e) -> e.getValue().createdAt())
                        .thenComparing(Map.Entry::getKey));
    }

    /** Whether the catalogue may lack snapshots an unreadable index lists. */
    public boolean damaged() {
        return !unreadable.isEmpty();
    }

    /** Whether more than one head was merged: the next write joins them into one. */
    public boolean mergedHeads() {
        return headIds.size() > 1;
    }

    /**
     * Refuses a write (a commit or a delete) on top of a damaged catalogue.
     * @throws DamagedIndexException naming the newest unreadable index
     */
    public IndexState requireWritable() throws DamagedIndexException {
        if (damaged()) {
            UnreadableIndex newest = unreadable.get(0);
            throw new DamagedIndexException("index generation " + newest.generation() + " (" + newest.key()
                    + ") is unreadable: run 'vaultkeep check', then 'vaultkeep repair'");
        }
        return this;
    }
}
