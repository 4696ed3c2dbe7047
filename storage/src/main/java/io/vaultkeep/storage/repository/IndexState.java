package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.IndexDocument;
import java.util.List;

/**
 * The repository's catalogue as a reader sees it: the merged heads of the newest readable
 * generation, and the generation the next index must take.
 *
 * @param generation the generation the catalogue was read from (0 for an empty repository)
 * @param headIds the ids of the merged head indexes: the parents of the next index
 * @param nextGeneration one more than the highest generation named in {@code indexes/}, so that a
 *     new index always supersedes even a damaged newer one
 */
public record IndexState(IndexDocument catalogue, long generation, List<String> headIds, long nextGeneration) {

    public IndexState {
        headIds = List.copyOf(headIds);
    }

    public static IndexState empty() {
        return new IndexState(IndexDocument.empty(), 0, List.of(), 1);
    }

    public boolean isEmpty() {
        return generation == 0;
    }
}
