package io.vaultkeep.storage.check;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.MalformedDocumentException;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.storage.check.CheckReport.Kind;
import io.vaultkeep.storage.check.CheckReport.Problem;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexMerge;
import io.vaultkeep.storage.repository.IndexReader;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.repository.ObjectBounds;
import io.vaultkeep.storage.repository.OrderedReads;
import io.vaultkeep.storage.repository.RepositoryObjects;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a repository against its catalogue, re-deriving the invariants of docs/design.md from
 * the data. Without data reading: every index opens, every object the newest catalogue references
 * exists, every snapshot's archive has a sound structure (its headers agree, its vault's declared
 * size is the manifest's and the index's) and its manifest opens, the vault's data unread. With
 * {@code readData}: every snapshot and blob is read whole and its ZIP checked strictly (structure,
 * CRC / AES HMAC), sizes compared. Objects nothing references are reported as orphans.
 *
 * <p>Snapshots and blobs are read by several readers at once ({@link OrderedReads}); their problems
 * are gathered in catalogue order, so the report is the same as a single reader's, and an
 * unreachable location aborts the check with the failure a single reader would have met first.
 */
public final class RepositoryCheck {

    private RepositoryCheck() {}

    public static CheckReport run(BackupRepository repository, boolean readData) throws IOException {
        return run(repository, readData, OrderedReads.DEFAULT_READERS);
    }

    /** @param readers how many snapshots and blobs are read at once (1: one after another) */
    public static CheckReport run(BackupRepository repository, boolean readData, int readers) throws IOException {
        RepositoryObjects objects = repository.objects();
        List<Problem> problems = new ArrayList<>();

        List<String> notes = new ArrayList<>();
        // with readData each index is checked strictly as it is read
        List<IndexReader.IndexFile> indexes = IndexReader.readAll(objects,
                readData ? strictly(objects, problems) : objects::readIndex, readers);
        IndexState state = IndexReader.stateOf(indexes);
        IndexDocument catalogue = state.catalogue();
        for (IndexReader.IndexFile index : indexes) {
            if (index.readable()) {
                continue;
            }
            if (index.generation() >= state.generation()) {
                // invariant «never build on an unreadable index»
                problems.add(new Problem(Kind.CORRUPT, index.key(), index.problem()
                        + "; nothing is written on top of it until 'vaultkeep repair' supersedes it"));
            } else if (!index.vanished()) {
                // a reader needs only the newest readable generation: older history is harmless
                // (invariant «compaction keeps the newest readable generation»)
                notes.add("superseded index " + index.key() + " is unreadable (" + index.problem()
                        + "); no reader needs it, 'prune --compact-indexes' removes it");
            }
        }
        // invariant «heal, never brick»: several heads and their disagreements are read, not refused
        if (state.mergedHeads()) {
            notes.add("generation " + state.generation() + " is read from " + state.headIds().size() + " heads ("
                    + String.join(", ", state.headIds()) + "), merged on read; the next write joins them");
        }
        for (IndexMerge.Conflict conflict : state.conflicts()) {
            String path = "snapshot".equals(conflict.kind())
                    ? catalogue.snapshots().get(conflict.id()).path()
                    : catalogue.blobs().get(conflict.id()).path();
            problems.add(new Problem(Kind.INCONSISTENT, path, conflict.toString()));
        }

        Map<String, ObjectInfo> stored = new java.util.HashMap<>();
        for (ObjectInfo info : objects.store().list(RepositoryPaths.SNAPSHOTS)) {
            stored.put(info.key(), info);
        }
        for (ObjectInfo info : objects.store().list(RepositoryPaths.BLOBS)) {
            stored.put(info.key(), info);
        }
        Set<String> referenced = new HashSet<>();
        // invariant «blobs before snapshot before index»: whatever the catalogue lists exists, and
        // whatever a listed snapshot names is listed too; one read per snapshot and per blob, each
        // gathering its own problems
        List<OrderedReads.Read<List<Problem>>> reads = new ArrayList<>();
        if (readData) {
            // repo.zip opened with the repository; read strictly here, beside the snapshots, not alone before the indexes
            reads.add(() -> {
                List<Problem> repoProblems = new ArrayList<>();
                expectZip(objects, RepositoryPaths.REPO, objects.repositoryPassword(), ObjectBounds.document(), repoProblems);
                return repoProblems;
            });
        }
        for (Map.Entry<String, SnapshotEntry> e : catalogue.snapshots().entrySet()) {
            referenced.add(e.getValue().path());
            reads.add(() -> snapshotProblems(objects, catalogue, stored, e.getKey(), e.getValue(), readData));
        }
        for (Map.Entry<String, BlobEntry> e : catalogue.blobs().entrySet()) {
            referenced.add(e.getValue().path());
            reads.add(() -> blobProblems(objects, stored, e.getKey(), e.getValue(), readData));
        }
        try (OrderedReads parallel = new OrderedReads(readers)) {
            parallel.inOrder(reads).forEach(problems::addAll);
        }
        // what a crashed run or prune left behind: harmless, and the only objects a rollback or prune
        // may remove («rollback deletes only what no index lists»,
        // «prune order: pruned index, then snapshots, then blobs»)
        for (String key : stored.keySet()) {
            if (!referenced.contains(key)) {
                problems.add(new Problem(Kind.ORPHANED, key, "no snapshot or blob in the index refers to it"));
            }
        }
        problems.sort(java.util.Comparator.comparing(Problem::path).thenComparing(p -> p.kind().name()));
        return new CheckReport(problems, notes, indexes.size(), catalogue.snapshots().size(), catalogue.blobs().size(), readData);
    }

    /**
     * Reads each index checked strictly on the way (one key derivation and decryption per index, not two). An
     * index that fails the strict check is reported as {@link #expectZip} reports it, and read as a writer reads
     * it, so what counts as readable (and the catalogue) is the same as without {@code --read-data}; one that does
     * not read either is reported as unreadable only. Called from several readers at once.
     */
    private static IndexReader.DocumentReader strictly(RepositoryObjects objects, List<Problem> problems) {
        return key -> {
            try {
                return objects.verifyIndex(key);
            } catch (IOException strictFailure) {
                if (isLocationFailure(strictFailure) || strictFailure instanceof MalformedDocumentException) {
                    throw strictFailure;
                }
                IndexDocument lenient = objects.readIndex(key);
                synchronized (problems) {
                    problems.add(zipProblem(key, strictFailure));
                }
                return lenient;
            }
        };
    }

    private static List<Problem> snapshotProblems(RepositoryObjects objects, IndexDocument catalogue, Map<String, ObjectInfo> stored,
                                                  String id, SnapshotEntry snapshot, boolean readData) throws IOException {
        List<Problem> problems = new ArrayList<>();
        if (!stored.containsKey(snapshot.path())) {
            problems.add(new Problem(Kind.MISSING, snapshot.path(), "snapshot " + id + " is in the index but its object is missing"));
            return problems;
        }
        checkSnapshot(objects, id, snapshot, readData, problems);
        for (String blobId : snapshot.blobIds()) {
            if (!catalogue.blobs().containsKey(blobId)) {
                problems.add(new Problem(Kind.INCONSISTENT, snapshot.path(), "references blob " + blobId + ", which the index does not list"));
            }
        }
        return problems;
    }

    private static List<Problem> blobProblems(RepositoryObjects objects, Map<String, ObjectInfo> stored, String id, BlobEntry blob,
                                              boolean readData) throws IOException {
        List<Problem> problems = new ArrayList<>();
        ObjectInfo info = stored.get(blob.path());
        if (info == null) {
            problems.add(new Problem(Kind.MISSING, blob.path(), "blob " + id + " is in the index but its object is missing"));
            return problems;
        }
        if (blob.encryptedSize() != null && blob.encryptedSize() != info.size()) {
            problems.add(new Problem(Kind.CORRUPT, blob.path(), "stored size " + info.size() + " differs from the indexed " + blob.encryptedSize()));
        }
        if (readData) {
            checkBlob(objects, blob, problems);
        }
        return problems;
    }

    private static void checkSnapshot(RepositoryObjects objects, String id, SnapshotEntry entry, boolean readData,
                                      List<Problem> problems) throws IOException {
        SnapshotManifest manifest;
        long vaultSize;
        try {
            if (readData) {
                // verified and read in one pass (one key derivation and decryption per entry); the vault only counted
                RepositoryObjects.VerifiedSnapshot verified = objects.verifySnapshot(entry);
                manifest = verified.manifest();
                vaultSize = verified.vaultSize();
            } else {
                // the manifest alone (the archive's structure checked whole): the vault's size as its headers declare it
                RepositoryObjects.VerifiedSnapshot read = objects.readManifest(entry);
                manifest = read.manifest();
                vaultSize = read.vaultSize();
            }
        } catch (ObjectNotFoundException e) {
            problems.add(new Problem(Kind.MISSING, entry.path(), readData ? "object is missing" : e.getMessage()));
            return;
        } catch (IOException e) {
            if (isLocationFailure(e)) {
                throw e;
            }
            problems.add(new Problem(Kind.CORRUPT, entry.path(), e.getMessage()));
            return;
        }
        if (!id.equals(manifest.snapshotId())) {
            problems.add(new Problem(Kind.INCONSISTENT, entry.path(), "manifest names snapshot " + manifest.snapshotId() + ", the index " + id));
        }
        if (manifest.vault().size() != vaultSize || entry.vaultSize() != vaultSize) {
            problems.add(new Problem(Kind.CORRUPT, entry.path(), (readData ? "vault.json has " : "vault.json's headers declare ")
                    + vaultSize + " bytes; the manifest says " + manifest.vault().size() + ", the index " + entry.vaultSize()));
        }
        for (ManifestAttachment a : manifest.attachments()) {
            if (!entry.blobIds().contains(a.blobId())) {
                problems.add(new Problem(Kind.INCONSISTENT, entry.path(), "attachment " + a.attachmentId() + " uses blob " + a.blobId() + ", which the index entry does not list"));
            }
        }
    }

    private static void checkBlob(RepositoryObjects objects, BlobEntry blob, List<Problem> problems) throws IOException {
        if (!expectZip(objects, blob.path(), blob.encryption().zipPassword(), ObjectBounds.blob(blob.plainSize()), problems)) {
            return;
        }
        try {
            long size = objects.readBlob(blob, OutputStream.nullOutputStream());
            if (blob.plainSize() != null && blob.plainSize() != size) {
                problems.add(new Problem(Kind.CORRUPT, blob.path(), "holds " + size + " bytes; the index says " + blob.plainSize()));
            }
        } catch (IOException e) {
            if (isLocationFailure(e)) {
                throw e;
            }
            problems.add(new Problem(Kind.CORRUPT, blob.path(), e.getMessage()));
        }
    }

    /** Strict ZIP verification of one object; records a problem and returns false when it fails. */
    private static boolean expectZip(RepositoryObjects objects, String key, char[] password, ZipCodec.EntryLimits limits,
                                     List<Problem> problems) throws IOException {
        try {
            objects.verify(key, password, limits);
            return true;
        } catch (IOException e) {
            if (isLocationFailure(e)) {
                throw e;
            }
            problems.add(zipProblem(key, e));
            return false;
        }
    }

    /** How a failed strict ZIP check of an object is reported. */
    private static Problem zipProblem(String key, IOException failure) {
        return failure instanceof ObjectNotFoundException
                ? new Problem(Kind.MISSING, key, "object is missing")
                : new Problem(Kind.CORRUPT, key, failure.getMessage());
    }

    /** Damage is reported per object; an unreachable location aborts the check instead. */
    private static boolean isLocationFailure(IOException e) {
        return !RepositoryObjects.isDamage(e);
    }
}
