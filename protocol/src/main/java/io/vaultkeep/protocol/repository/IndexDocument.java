package io.vaultkeep.protocol.repository;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code index.json} inside {@code indexes/<generation>-<indexId>.zip}: the authoritative catalogue
 * of snapshots, attachment fingerprints and blobs.
 *
 * <p>{@code contentHashes} (SHA-256 of an attachment's bytes → blob id) is this project's addition so
 * that identical bytes under two fingerprints are stored once; Keyguard ignores it.
 */
public record IndexDocument(
        Integer formatVersion,
        String indexId,
        long generation,
        List<String> parentIndexIds,
        Instant updatedAt,
        Map<String, SnapshotEntry> snapshots,
        Map<String, AttachmentEntry> attachments,
        Map<String, BlobEntry> blobs,
        Map<String, String> contentHashes) {

    public IndexDocument {
        formatVersion = formatVersion == null ? 1 : formatVersion;
        parentIndexIds = parentIndexIds == null ? List.of() : List.copyOf(parentIndexIds);
        // sorted maps: the written JSON is deterministic and diffable
        snapshots = sorted(snapshots);
        attachments = sorted(attachments);
        blobs = sorted(blobs);
        contentHashes = sorted(contentHashes);
    }

    /**
     * An unmodifiable copy in key order. An index is kept per account between runs, and most of its
     * maps are empty or hold one entry: those get {@code Map.of}'s forms (trivially in order), which
     * cost a fraction of a wrapped {@code TreeMap}. A map with a null key or value goes the
     * {@code TreeMap} way, as every map did, so that it fails or is kept exactly as before.
     */
    private static <V> Map<String, V> sorted(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        if (map.size() == 1) {
            Map.Entry<String, V> only = map.entrySet().iterator().next();
            if (only.getKey() != null && only.getValue() != null) {
                return Map.of(only.getKey(), only.getValue());
            }
        }
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** The catalogue of an empty repository (before its first index). */
    public static IndexDocument empty() {
        return new IndexDocument(1, null, 0, List.of(), null, Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** A successor index with the given catalogue. */
    public IndexDocument successor(String newIndexId, long newGeneration, List<String> parents, Instant at,
                                   Map<String, SnapshotEntry> newSnapshots,
                                   Map<String, AttachmentEntry> newAttachments,
                                   Map<String, BlobEntry> newBlobs,
                                   Map<String, String> newContentHashes) {
        return new IndexDocument(1, newIndexId, newGeneration, parents, at,
                newSnapshots, newAttachments, newBlobs, newContentHashes);
    }
}
