package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes a new index generation from what is still readable, so that a repository whose newest
 * index is damaged can be written again (invariant «never build on an unreadable index»,
 * docs/design.md: only this supersedes it). The new catalogue is the newest readable one, less
 * every snapshot and blob that no longer opens, plus, in a plain repository, every snapshot and
 * blob object on disk that no index lists and that opens whole. In an encrypted repository such objects stay lost: their per-object
 * keys were only in the index that cannot be read. Every loss is named.
 */
public final class RepositoryRepair {

    private RepositoryRepair() {}

    /**
     * What a repair found and did.
     *
     * @param indexKey the index written, or null for a dry run or when there was nothing to repair
     * @param generation the generation written (or that would be)
     * @param recovered one line per snapshot or blob taken back into the catalogue from its object
     * @param lost one line per snapshot or blob that could not be kept or recovered, and why
     */
    public record Report(String indexKey, long generation, boolean needed, List<String> recovered, List<String> lost,
                         int snapshots, int blobs) {
        public Report {
            recovered = List.copyOf(recovered);
            lost = List.copyOf(lost);
        }
    }

    public static Report repair(RepositoryObjects objects, boolean dryRun, Instant now) throws IOException {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        IndexState state = IndexReader.read(objects);
        IndexDocument base = state.catalogue();
        List<String> recovered = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        Map<String, SnapshotEntry> snapshots = new TreeMap<>();
        Map<String, BlobEntry> blobs = new TreeMap<>();

        for (Map.Entry<String, BlobEntry> e : base.blobs().entrySet()) {
            String problem = problemReading(objects, e.getValue());
            if (problem == null) {
                blobs.put(e.getKey(), e.getValue().validatedAt(at));
            } else {
                lost.add("blob " + e.getKey() + " (" + e.getValue().path() + "): " + problem);
            }
        }
        for (Map.Entry<String, SnapshotEntry> e : base.snapshots().entrySet()) {
            String problem = problemReading(objects, e.getValue());
            if (problem == null) {
                snapshots.put(e.getKey(), e.getValue());
            } else {
                lost.add("snapshot " + e.getKey() + " (" + e.getValue().path() + "): " + problem);
            }
        }
        Map<String, AttachmentEntry> attachments = new TreeMap<>(base.attachments());
        Set<String> listed = new LinkedHashSet<>();
        base.snapshots().values().forEach(s -> listed.add(s.path()));
        base.blobs().values().forEach(b -> listed.add(b.path()));
        String lostWith = state.unreadable().isEmpty() ? "no readable index lists it"
                : "its key was only in the unreadable " + state.unreadable().get(0).key();

        for (ObjectInfo info : objects.store().list(RepositoryPaths.BLOBS)) {
            if (listed.contains(info.key())) {
                continue;
            }
            String blobId = idOf(info.key());
            if (objects.encrypted() || !RepositoryPaths.blob(blobId).equals(info.key())) {
                lost.add("blob object " + info.key() + ": " + (objects.encrypted() ? lostWith : "not a blob name"));
                continue;
            }
            try {
                long size = objects.readBlob(info.key(), ObjectEncryption.NONE, OutputStream.nullOutputStream());
                Instant created = info.lastModified() != null ? info.lastModified().truncatedTo(ChronoUnit.MILLIS) : at;
                blobs.put(blobId, new BlobEntry(info.key(), size, info.size(), created, at, at, ObjectEncryption.NONE));
                recovered.add("blob " + blobId + " (" + info.key() + ")");
            } catch (IOException e) {
                rethrowOutage(e);
                lost.add("blob object " + info.key() + ": " + e.getMessage());
            }
        }
        for (ObjectInfo info : objects.store().list(RepositoryPaths.SNAPSHOTS)) {
            if (listed.contains(info.key())) {
                continue;
            }
            if (objects.encrypted()) {
                lost.add("snapshot " + idOf(info.key()) + " (" + info.key() + "): " + lostWith);
                continue;
            }
            try {
                RepositoryObjects.SnapshotContent content = objects.readSnapshot(info.key(), ObjectEncryption.NONE);
                SnapshotManifest manifest = content.manifest();
                Set<String> blobIds = new LinkedHashSet<>();
                for (ManifestAttachment a : manifest.attachments()) {
                    blobIds.add(a.blobId());
                    if (blobs.containsKey(a.blobId()) && a.fingerprint() != null) {
                        attachments.merge(a.fingerprint(), new AttachmentEntry(a.blobId(), a.plainSize(), manifest.createdAt(),
                                manifest.createdAt()), IndexMerge::newerSeen);
                    }
                }
                snapshots.put(manifest.snapshotId(), new SnapshotEntry(info.key(), manifest.createdAt(), content.vaultJson().length,
                        List.copyOf(blobIds), ObjectEncryption.NONE, manifest.stats()));
                recovered.add("snapshot " + manifest.snapshotId() + " (" + info.key() + ")");
            } catch (IOException e) {
                rethrowOutage(e);
                lost.add("snapshot object " + info.key() + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, SnapshotEntry> e : snapshots.entrySet()) {
            for (String blobId : e.getValue().blobIds()) {
                if (!blobs.containsKey(blobId)) {
                    lost.add("snapshot " + e.getKey() + " restores without its attachment blob " + blobId + ", which is lost");
                }
            }
        }
        attachments.values().removeIf(a -> !blobs.containsKey(a.blobId()));
        Map<String, String> hashes = new TreeMap<>(base.contentHashes());
        hashes.values().removeIf(blobId -> !blobs.containsKey(blobId));

        boolean needed = state.damaged() || !lost.isEmpty() || !recovered.isEmpty();
        Set<String> parents = new LinkedHashSet<>(state.headIds());
        state.unreadable().forEach(u -> RepositoryPaths.parseIndex(u.key()).ifPresent(n -> parents.add(n.indexId())));
        IndexDocument repaired = base.successor(UUID.randomUUID().toString(), state.nextGeneration(), List.copyOf(parents), at,
                snapshots, attachments, blobs, hashes);
        String key = null;
        if (needed && !dryRun) {
            objects.commitIndex(repaired);
            key = RepositoryPaths.index(repaired.generation(), repaired.indexId());
        }
        return new Report(key, repaired.generation(), needed, recovered, lost, snapshots.size(), blobs.size());
    }

    /** Null when the snapshot opens with its key; otherwise why not. */
    private static String problemReading(RepositoryObjects objects, SnapshotEntry entry) throws IOException {
        try {
            objects.readSnapshot(entry);
            return null;
        } catch (IOException e) {
            rethrowOutage(e);
            return e.getMessage();
        }
    }

    /** Null when the blob reads back whole with its recorded size; otherwise why not. */
    static String problemReading(RepositoryObjects objects, BlobEntry entry) throws IOException {
        try {
            long size = objects.readBlob(entry, OutputStream.nullOutputStream());
            return entry.plainSize() == null || entry.plainSize() == size ? null
                    : "holds " + size + " bytes; the index says " + entry.plainSize();
        } catch (IOException e) {
            rethrowOutage(e);
            return e.getMessage();
        }
    }

    /** A location that fails is no damage: repair nothing on a partial view (see {@link RepositoryObjects#isDamage}). */
    private static void rethrowOutage(IOException e) throws IOException {
        if (!RepositoryObjects.isDamage(e)) {
            throw e;
        }
    }

    /** "blobs/ab/cd/<id>.zip" → "<id>"; "snapshots/<id>.zip" → "<id>". */
    private static String idOf(String key) {
        String name = ObjectKeys.fileName(key);
        return name.endsWith(".zip") ? name.substring(0, name.length() - ".zip".length()) : name;
    }
}
