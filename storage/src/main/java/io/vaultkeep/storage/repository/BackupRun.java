package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.RepositoryJson;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.protocol.repository.SnapshotStats;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.store.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * One backup run, in the order of invariant «blobs before snapshot before index» (docs/design.md):
 * {@link #plan()} (dedup decisions; new blob ids and the snapshot id chosen before anything is
 * written, so a journal can record what the run may leave behind:
 * «plan journaled before the first write»), {@link #storeBlobs()}, {@link #writeSnapshot()},
 * {@link #commit()} («commit point»).
 * {@link #rollback()} undoes an uncommitted run. Not thread-safe: one run, one caller; the one
 * exception is {@link #storeBlob}, which callers may run for several planned blobs at once in place
 * of {@link #storeBlobs()}, then hand the results to {@link #blobsStored}.
 */
public final class BackupRun {

    /** Commits of one run hidden by newer generations before it gives up (each needs another writer's commit). */
    private static final int MAX_COMMITS = 5;

    private final RepositoryObjects objects;
    /** The catalogue the run was planned on (the commit re-reads the newest). */
    private final IndexState base;
    private final FetchedVault source;
    private final Instant now;
    private final RandomGenerator dice;
    /** The writer lock, held from the start to the commit or rollback; null for a lock-free run (tests). */
    private final WriterLock.Holding lock;

    private final Map<String, BlobEntry> blobs;
    private final Map<String, AttachmentEntry> attachments;
    private final Map<String, String> contentHashes;
    private final List<PlannedBlob> newBlobs = new ArrayList<>();
    private final List<ManifestAttachment> manifestAttachments = new ArrayList<>();
    private final List<String> damagedBlobs = new ArrayList<>();
    private final Set<String> snapshotBlobIds = new LinkedHashSet<>();
    private final Set<String> recordedFingerprints = new LinkedHashSet<>();
    private SnapshotStats stats;
    private String snapshotId;
    private String snapshotKey;
    private SnapshotEntry snapshotEntry;
    private Stage stage = Stage.STARTED;

    private enum Stage { STARTED, PLANNED, BLOBS_STORED, SNAPSHOT_WRITTEN, COMMITTED }

    /** A blob this run will write: where its bytes come from and how it is protected. */
    public record PlannedBlob(String blobId, AttachmentSource source, ObjectEncryption encryption, long size) {}

    /** A planned blob once written: its catalogue entry, which {@link #blobsStored} records. */
    public record StoredBlob(String blobId, BlobEntry entry) {}

    /**
     * What the run may create: everything a rollback must consider, known before the first write;
     * the catalogued blobs it found damaged (their attachments are stored afresh), one line each.
     *
     * @param unchangedSince the newest snapshot's id when it holds exactly what this run would store
     *                       (then the run has nothing to commit), else null
     */
    public record Plan(String snapshotId, String snapshotKey, List<String> newBlobIds, SnapshotStats stats,
                       List<String> damagedBlobs, String unchangedSince) {}

    public record SnapshotWritten(String snapshotId, String snapshotKey, long storedSize) {}

    public record Committed(String snapshotId, String snapshotKey, String indexKey, long generation,
                            Instant createdAt, SnapshotStats stats, List<String> damagedBlobs) {}

    BackupRun(RepositoryObjects objects, IndexState base, FetchedVault source, Instant now, RandomGenerator dice,
              WriterLock.Holding lock) {
        this.lock = lock;
        this.objects = objects;
        this.base = base;
        this.source = source;
        this.now = now.truncatedTo(ChronoUnit.MILLIS);
        this.dice = dice;
        IndexDocument catalogue = base.catalogue();
        this.blobs = new HashMap<>(catalogue.blobs());
        this.attachments = new HashMap<>(catalogue.attachments());
        this.contentHashes = new HashMap<>(catalogue.contentHashes());
    }

    /**
     * Decides, attachment by attachment, whether an existing blob holds its bytes (same fingerprint,
     * or same content hash) or a new blob must be written; names the new blobs and the snapshot.
     * Reads sources and (when due) re-validates reused blobs; writes nothing.
     */
    public Plan plan() throws IOException {
        requireStage(Stage.STARTED);
        int reused = 0;
        if (source.includeAttachments()) {
            for (AttachmentSource attachment : source.attachments()) {
                if (!planOne(attachment)) {
                    reused++;
                }
            }
        }
        // as Keyguard: without attachments nothing is counted; otherwise what could not be had is skipped
        int stored = source.includeAttachments() ? source.attachments().size() : 0;
        int skipped = source.includeAttachments() ? source.unavailableAttachmentCount() : 0;
        stats = new SnapshotStats(source.cipherCount(), stored, skipped, newBlobs.size(), reused);
        snapshotId = RepositoryPaths.newSnapshotId(now);
        snapshotKey = RepositoryPaths.snapshot(snapshotId);
        stage = Stage.PLANNED;
        return new Plan(snapshotId, snapshotKey, newBlobIds(), stats, List.copyOf(damagedBlobs), unchangedSince());
    }

    /** The newest snapshot's id if it holds what this run would store; read only when sizes and blobs agree. */
    private String unchangedSince() throws IOException {
        Optional<Map.Entry<String, SnapshotEntry>> newest = IndexState.newestSnapshot(base.catalogue());
        if (newest.isEmpty() || !newBlobs.isEmpty()) {
            return null;
        }
        SnapshotEntry entry = newest.get().getValue();
        byte[] vault = source.vaultJson();
        if (entry.vaultSize() != vault.length || !Set.copyOf(entry.blobIds()).equals(snapshotBlobIds)) {
            return null;
        }
        RepositoryObjects.SnapshotContent content = objects.readSnapshot(entry);
        return UnchangedContent.same(content.manifest(), content.vaultJson(), source.includeAttachments(), vault,
                manifestAttachments) ? newest.get().getKey() : null;
    }

    /** The planned new blobs, each written create-only: nothing refers to them until the snapshot does. */
    public List<String> storeBlobs() throws IOException {
        List<StoredBlob> stored = new ArrayList<>();
        for (PlannedBlob planned : plannedBlobs()) {
            stored.add(storeBlob(planned));
        }
        return blobsStored(stored);
    }

    /** The blobs {@link #plan()} chose to write, in plan order. */
    public List<PlannedBlob> plannedBlobs() {
        requireStage(Stage.PLANNED);
        return List.copyOf(newBlobs);
    }

    /**
     * Writes one planned blob, create-only. Safe to call from several threads at once for different
     * blobs: it reads only what the plan fixed and changes nothing in the run.
     */
    public StoredBlob storeBlob(PlannedBlob planned) throws IOException {
        String key = RepositoryPaths.blob(planned.blobId());
        ObjectInfo stored = objects.createBlob(key, planned.source().content(), planned.encryption());
        return new StoredBlob(planned.blobId(), new BlobEntry(key, planned.size(), stored.size(), now, now, now, planned.encryption()));
    }

    /**
     * Ends the storing of blobs once every planned blob is written (by {@link #storeBlob}, in any order); back on
     * the run's one caller.
     */
    public List<String> blobsStored(List<StoredBlob> stored) {
        requireStage(Stage.PLANNED);
        Map<String, BlobEntry> written = new HashMap<>();
        stored.forEach(s -> written.put(s.blobId(), s.entry()));
        if (!written.keySet().equals(Set.copyOf(newBlobIds()))) {
            throw new IllegalArgumentException("the blobs stored (" + written.size() + ") are not the " + newBlobs.size() + " planned");
        }
        for (PlannedBlob planned : newBlobs) {
            blobs.put(planned.blobId(), written.get(planned.blobId()));
        }
        stage = Stage.BLOBS_STORED;
        return newBlobIds();
    }

    /**
     * The snapshot object, written create-only once its blobs exist, and read back before an index
     * may list it (invariant «blobs before snapshot before index», docs/design.md).
     */
    public SnapshotWritten writeSnapshot() throws IOException {
        requireStage(Stage.BLOBS_STORED);
        ObjectEncryption encryption = objects.newObjectEncryption();
        byte[] vault = source.vaultJson();
        SnapshotManifest manifest = new SnapshotManifest(1, snapshotId, now,
                new SnapshotManifest.Options(source.includeAttachments()),
                new SnapshotManifest.VaultRef(SnapshotManifest.VAULT_ENTRY, vault.length),
                manifestAttachments, stats);
        ObjectInfo stored = objects.createSnapshot(snapshotKey, manifest, vault, encryption);
        RepositoryObjects.SnapshotContent back = objects.readSnapshot(snapshotKey, encryption, vault.length);
        // the manifests compared as their documents (every field written): a record's generated equals is linked
        // through method handles on first use, milliseconds of a one-shot backup per record class
        if (!Arrays.equals(RepositoryJson.write(back.manifest()), RepositoryJson.write(manifest))
                || !Arrays.equals(back.vaultJson(), vault)) {
            throw new RepositoryException("snapshot " + snapshotKey + " did not read back as written");
        }
        snapshotEntry = new SnapshotEntry(snapshotKey, now, vault.length, List.copyOf(snapshotBlobIds), encryption, stats);
        stage = Stage.SNAPSHOT_WRITTEN;
        return new SnapshotWritten(snapshotId, snapshotKey, stored.size());
    }

    /**
     * The next index generation, written and read back: the run's «commit point» (docs/design.md),
     * after which the snapshot exists. The run's changes go onto the catalogue as it is now; should
     * a newer generation that lacks them appear meanwhile (another writer that takes no lock), they
     * are committed again on top of it (invariant «every committed snapshot stays listed»).
     */
    public Committed commit() throws IOException {
        requireStage(Stage.SNAPSHOT_WRITTEN);
        RunChanges changes = changes();
        IndexState current = IndexReader.read(objects);
        for (int attempt = 1; ; attempt++) {
            current.requireWritable();
            IndexDocument next = changes.applyTo(current.catalogue(), UUID.randomUUID().toString(),
                    current.nextGeneration(), current.headIds(), now);
            if (lock != null) {
                // invariant «a lost lock commits nothing»
                lock.verify();
            }
            objects.commitIndex(next);
            // the catalogue as readers now see it: the check of this commit, and the base of the next attempt
            current = IndexReader.read(objects);
            if (current.catalogue().snapshots().containsKey(snapshotId)) {
                stage = Stage.COMMITTED;
                releaseLock();
                return new Committed(snapshotId, snapshotKey, RepositoryPaths.index(next.generation(), next.indexId()),
                        next.generation(), now, stats, List.copyOf(damagedBlobs));
            }
            if (attempt == MAX_COMMITS) {
                throw new RepositoryException("snapshot " + snapshotId + " was committed " + attempt
                        + " times and each time another writer's newer index hid it");
            }
        }
    }

    private RunChanges changes() {
        Map<String, BlobEntry> used = new HashMap<>();
        snapshotBlobIds.forEach(id -> used.put(id, blobs.get(id)));
        Map<String, AttachmentEntry> recorded = new HashMap<>();
        recordedFingerprints.forEach(f -> recorded.put(f, attachments.get(f)));
        Map<String, String> hashes = new HashMap<>(contentHashes);
        hashes.values().retainAll(newBlobIds());
        return new RunChanges(snapshotId, snapshotEntry, used, recorded, hashes);
    }

    /**
     * Undoes an uncommitted run: its snapshot and new blobs go, unless the newest index lists them
     * (invariant «rollback deletes only what no index lists», docs/design.md).
     */
    public void rollback() throws IOException {
        if (stage == Stage.COMMITTED) {
            throw new IllegalStateException("a committed run cannot be rolled back");
        }
        try {
            RunRollback.rollback(objects, newBlobIds(), snapshotKey);
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() throws IOException {
        if (lock != null) {
            lock.close();
        }
    }

    public List<String> newBlobIds() {
        return newBlobs.stream().map(PlannedBlob::blobId).toList();
    }

    public String snapshotKey() {
        return snapshotKey;
    }

    // ---- blob dedup

    /** @return true if a new blob is planned, false if an existing (or already planned) one is reused */
    private boolean planOne(AttachmentSource attachment) throws IOException {
        String fingerprint = attachment.fingerprint();
        AttachmentEntry known = attachments.get(fingerprint);
        if (known != null && reusable(known.blobId(), attachment.size())) {
            record(attachment, fingerprint, known.blobId(), attachment.size());
            return false;
        }
        ContentDigest digest = digest(attachment);
        String sameContent = contentHashes.get(digest.sha256());
        if (sameContent != null && reusable(sameContent, digest.size())) {
            record(attachment, fingerprint, sameContent, digest.size());
            return false;
        }
        String blobId = UUID.randomUUID().toString();
        String key = RepositoryPaths.blob(blobId);
        ObjectEncryption encryption = objects.newObjectEncryption();
        newBlobs.add(new PlannedBlob(blobId, attachment, encryption, digest.size()));
        // catalogued now so later attachments with the same bytes reuse it; the stored size follows in storeBlobs
        blobs.put(blobId, new BlobEntry(key, digest.size(), null, now, now, now, encryption));
        contentHashes.put(digest.sha256(), blobId);
        record(attachment, fingerprint, blobId, digest.size());
        return true;
    }

    /** A catalogued blob may be reused if its size matches and it exists (read back whole when a check is due). */
    private boolean reusable(String blobId, Long expectedSize) throws IOException {
        BlobEntry entry = blobs.get(blobId);
        if (entry == null || (expectedSize != null && entry.plainSize() != null && !entry.plainSize().equals(expectedSize))) {
            return false;
        }
        if (newBlobIds().contains(blobId) || now.equals(entry.lastValidatedAt())) {
            return true; // planned or checked by this very run
        }
        Instant lastValidated = entry.lastValidatedAt() != null ? entry.lastValidatedAt() : entry.createdAt();
        if (!BlobValidationPolicy.isDue(lastValidated, now, dice)) {
            Optional<String> problem = BlobValidationPolicy.storedObjectProblem(entry.encryptedSize(),
                    objects.store().stat(entry.path()));
            problem.ifPresent(why -> reportDamaged(blobId, entry, why));
            return problem.isEmpty();
        }
        if (RepositoryRepair.problemReading(objects, entry) != null) {
            reportDamaged(blobId, entry, "it does not read back whole");
            return false;
        }
        blobs.put(blobId, entry.validatedAt(now));
        return true;
    }

    /** Damaged or gone: this run stores the bytes afresh under a new blob, and says so once. */
    private void reportDamaged(String blobId, BlobEntry entry, String why) {
        String line = "blob " + blobId + " (" + entry.path() + ") is damaged: " + why + "; its attachment is stored afresh";
        if (!damagedBlobs.contains(line)) {
            damagedBlobs.add(line);
        }
    }

    private void record(AttachmentSource attachment, String fingerprint, String blobId, Long plainSize) {
        BlobEntry blob = blobs.get(blobId);
        blobs.put(blobId, blob.seenAt(now));
        AttachmentEntry previous = attachments.get(fingerprint);
        Instant createdAt = previous != null && previous.blobId().equals(blobId) ? previous.createdAt() : now;
        attachments.put(fingerprint, new AttachmentEntry(blobId, plainSize, createdAt, now));
        recordedFingerprints.add(fingerprint);
        snapshotBlobIds.add(blobId);
        manifestAttachments.add(new ManifestAttachment(attachment.accountId(), attachment.localCipherId(),
                attachment.remoteCipherId(), attachment.attachmentId(), attachment.safeFileName(), plainSize,
                fingerprint, blobId, blob.path(), attachment.exportPath()));
    }

    private record ContentDigest(String sha256, long size) {}

    private static ContentDigest digest(AttachmentSource attachment) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = attachment.content().open()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        if (attachment.size() != null && attachment.size() != size) {
            throw new IOException("attachment " + attachment.attachmentId() + " of item " + attachment.localCipherId()
                    + " has " + size + " bytes, but " + attachment.size() + " were announced");
        }
        return new ContentDigest(HexFormat.of().formatHex(sha.digest()), size);
    }

    private void requireStage(Stage expected) {
        if (stage != expected) {
            throw new IllegalStateException("backup run is at " + stage + ", expected " + expected);
        }
    }
}
