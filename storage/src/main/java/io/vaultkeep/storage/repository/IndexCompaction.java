package io.vaultkeep.storage.repository;

import java.io.IOException;
import java.util.List;

/**
 * Deletes superseded index generations, which Keyguard keeps forever. Off unless asked for: a
 * reader only needs the newest readable generation, so older ones are history, not state.
 */
public final class IndexCompaction {

    private IndexCompaction() {}

    /**
     * Keeps the newest readable generation and the {@code keepGenerations - 1} generations before it
     * (and anything newer than it, which may be a writer's in-flight commit); deletes the rest
     * (invariant «compaction keeps the newest readable generation», docs/design.md).
     *
     * @return the keys deleted
     */
    public static List<String> compact(RepositoryObjects objects, int keepGenerations) throws IOException {
        if (keepGenerations < 1) {
            throw new IllegalArgumentException("at least the newest generation must be kept");
        }
        IndexState state = IndexReader.read(objects).requireWritable();
        if (state.isEmpty()) {
            return List.of();
        }
        long oldestKept = state.generation() - keepGenerations + 1;
        List<String> doomed = objects.store().list(RepositoryPaths.INDEXES).stream()
                .map(info -> info.key())
                .filter(key -> RepositoryPaths.parseIndex(key).map(n -> n.generation() < oldestKept).orElse(false))
                .toList();
        for (String key : doomed) {
            objects.store().delete(key);
        }
        return doomed;
    }
}
