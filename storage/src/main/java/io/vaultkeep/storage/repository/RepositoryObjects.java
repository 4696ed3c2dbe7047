package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.RepoDocument;
import io.vaultkeep.protocol.repository.RepositoryJson;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.protocol.repository.MalformedDocumentException;
import io.vaultkeep.storage.archive.ArchiveEntryMissingException;
import io.vaultkeep.storage.archive.ArchiveException;
import io.vaultkeep.storage.store.ObjectNotFoundException;
import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.archive.CountingOutputStream;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the repository's four kinds of object (repo, index, snapshot, blob) as ZIPs in
 * an object store: which entry each holds and which password protects it. No catalogue logic.
 */
public final class RepositoryObjects {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;
    private final ZipCodec codec;
    private final char[] password;
    /** Indexes read before, by key (none unless {@link #rememberIndexes} was called). */
    private volatile IndexCache indexes;
    /** Whether the last snapshot read is kept ({@link #rememberLastSnapshot}), and which it was. */
    private volatile boolean rememberSnapshot;
    private volatile RememberedSnapshot lastSnapshot;

    private record RememberedSnapshot(String key, ObjectEncryption encryption, SnapshotContent content) {}

    /** @param password the backup password (ZIP password of repo and index objects), or null */
    public RepositoryObjects(ObjectStore store, ZipCodec codec, char[] password) {
        this.store = store;
        this.codec = codec;
        this.password = password;
    }

    public ObjectStore store() {
        return store;
    }

    public ZipCodec codec() {
        return codec;
    }

    public boolean encrypted() {
        return password != null;
    }

    /** A fresh per-object encryption (a new random key) in an encrypted repository, else none. */
    public ObjectEncryption newObjectEncryption() {
        if (password == null) {
            return ObjectEncryption.NONE;
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return ObjectEncryption.zipAes256(Base64.getEncoder().encodeToString(key));
    }

    // ---- repo.zip

    public RepoDocument readRepo() throws IOException {
        byte[] json = readDocument(RepositoryPaths.REPO, RepositoryPaths.REPO_ENTRY, password);
        return RepositoryJson.read(json, RepoDocument.class, RepositoryPaths.REPO);
    }

    public ObjectInfo createRepo(RepoDocument repo) throws IOException {
        return createZip(RepositoryPaths.REPO, List.of(EntrySource.ofBytes(RepositoryPaths.REPO_ENTRY, RepositoryJson.write(repo))), password);
    }

    // ---- indexes

    public IndexDocument readIndex(String key) throws IOException {
        IndexCache known = indexes;
        if (known != null) {
            Optional<IndexDocument> cached = known.get(key);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        return remembered(key, readDocument(key, RepositoryPaths.INDEX_ENTRY, password));
    }

    /** An index document parsed from its entry's bytes, and kept in the cache when there is one. */
    private IndexDocument remembered(String key, byte[] json) throws IOException {
        IndexDocument read = RepositoryJson.read(json, IndexDocument.class, key);
        IndexCache known = indexes;
        if (known != null) {
            known.put(key, read);
        }
        return read;
    }

    /**
     * An index object checked as strictly as {@link #verify} and its document read, in one pass (a check reading
     * the data: one key derivation and decryption, not two). The archive's failures are {@link #verify}'s; a
     * document that does not parse fails as {@link #readIndex}'s. Never cached.
     */
    public IndexDocument verifyIndex(String key) throws IOException {
        ZipCodec.VerifiedEntries entries = verifiedEntries(key, password, ObjectBounds.document(), RepositoryPaths.INDEX_ENTRY::equals);
        byte[] json = entries.kept().get(RepositoryPaths.INDEX_ENTRY);
        if (json == null) {
            throw new ArchiveEntryMissingException(key + " has no " + RepositoryPaths.INDEX_ENTRY);
        }
        return RepositoryJson.read(json, IndexDocument.class, key);
    }

    /**
     * Keeps the indexes this reads in {@code cache} and takes them from it from now on: for a
     * writer that reads the same repository run after run (the cache must be this repository's,
     * opened with the same password).
     */
    void rememberIndexes(IndexCache cache) {
        this.indexes = cache;
    }

    /** Writes the index create-only and reads it back: the «commit point» of a run or a prune (docs/design.md). */
    public ObjectInfo commitIndex(IndexDocument index) throws IOException {
        String key = RepositoryPaths.index(index.generation(), index.indexId());
        byte[] json = RepositoryJson.write(index);
        ObjectInfo info = createZip(key, List.of(EntrySource.ofBytes(RepositoryPaths.INDEX_ENTRY, json)), password);
        // the document's very bytes, read back (no record comparison: its generated equals costs a cold command
        // milliseconds), and then read as every reader reads it
        byte[] back = readDocument(key, RepositoryPaths.INDEX_ENTRY, password);
        if (!java.util.Arrays.equals(back, json)) {
            throw new RepositoryException("index " + key + " did not read back as written");
        }
        remembered(key, back);
        return info;
    }

    // ---- snapshots

    /** A snapshot's two entries. */
    public record SnapshotContent(SnapshotManifest manifest, byte[] vaultJson) {}

    public ObjectInfo createSnapshot(String key, SnapshotManifest manifest, byte[] vaultJson, ObjectEncryption encryption)
            throws IOException {
        requireSnapshotKey(key);
        return createZip(key, List.of(
                EntrySource.ofBytes(SnapshotManifest.ENTRY, RepositoryJson.write(manifest)),
                EntrySource.ofBytes(SnapshotManifest.VAULT_ENTRY, vaultJson)), encryption.zipPassword());
    }

    /** The snapshot the catalogue entry names, its vault inflating no further than the entry records. */
    public SnapshotContent readSnapshot(SnapshotEntry entry) throws IOException {
        return readSnapshot(entry.path(), entry.encryption(), entry.vaultSize());
    }

    /** A snapshot whose vault size is not known: the vault may inflate up to {@link ObjectBounds#MANIFEST_BYTES}. */
    public SnapshotContent readSnapshot(String key, ObjectEncryption encryption) throws IOException {
        return readSnapshot(key, encryption, 0);
    }

    /**
     * Keeps the last snapshot read, so that reading it again (a one-shot command that looks at one
     * snapshot several ways: is it sealed, what does a selection keep, what will it write) decrypts
     * and inflates it once. A snapshot object is written create-only and never changed, so its key
     * names its content for good. Every read of it hands out the same vault bytes, not a copy each (a
     * 6 MB vault was held three times by a restore): its readers only read them, and must not change them.
     */
    public void rememberLastSnapshot() {
        rememberSnapshot = true;
    }

    SnapshotContent readSnapshot(String key, ObjectEncryption encryption, long recordedVaultSize) throws IOException {
        RememberedSnapshot remembered = lastSnapshot;
        if (remembered != null && remembered.key().equals(key) && remembered.encryption().equals(encryption)) {
            return remembered.content();
        }
        SnapshotContent read = readSnapshotObject(key, encryption, recordedVaultSize);
        if (rememberSnapshot) {
            lastSnapshot = new RememberedSnapshot(key, encryption, read);
        }
        return read;
    }

    /**
     * A snapshot object's manifest, and how many bytes its vault entry holds: counted as it inflated
     * ({@link #verifySnapshot}) or as the archive's headers declare it ({@link #readManifest}).
     */
    public record VerifiedSnapshot(SnapshotManifest manifest, long vaultSize) {}

    /**
     * Checks a snapshot's archive as strictly as {@link #verify} and reads its manifest, in one pass
     * (a check reading the data: one key derivation and one decryption per entry, not two); the
     * vault entry is decrypted, inflated and checked but only counted, not held. Failures as
     * {@link #readSnapshot(SnapshotEntry)}'s.
     */
    public VerifiedSnapshot verifySnapshot(SnapshotEntry entry) throws IOException {
        String key = entry.path();
        requireSnapshotKey(key);
        ZipCodec.VerifiedEntries entries;
        try {
            entries = verifiedEntries(key, entry.encryption().zipPassword(), ObjectBounds.snapshot(entry.vaultSize()),
                    SnapshotManifest.ENTRY::equals);
        } catch (WrongPasswordException e) {
            throw wrongKey(key, e);
        }
        SnapshotManifest manifest = manifest(key, entries.kept().get(SnapshotManifest.ENTRY));
        Long vaultSize = entries.sizes().get(manifest.vault().entry());
        if (vaultSize == null) {
            throw new ArchiveEntryMissingException(key + " has no " + manifest.vault().entry());
        }
        return new VerifiedSnapshot(manifest, vaultSize);
    }

    /**
     * A snapshot's manifest, and its vault's size as the archive's headers declare it: the archive's structure is
     * checked whole and the manifest entry decrypted and checked (AES HMAC), but the vault entry is not read (a check
     * without data reading: no key derivation, decryption or inflating of the vault). Failures as
     * {@link #readSnapshot(SnapshotEntry)}'s.
     */
    public VerifiedSnapshot readManifest(SnapshotEntry entry) throws IOException {
        String key = entry.path();
        requireSnapshotKey(key);
        ZipCodec.OneEntry read;
        try (InputStream in = store.read(key)) {
            read = codec.readOne(in, SnapshotManifest.ENTRY, entry.encryption().zipPassword(),
                    ObjectBounds.snapshot(entry.vaultSize()));
        } catch (CorruptArchiveException e) {
            throw corrupt(key, e);
        } catch (WrongPasswordException e) {
            throw wrongKey(key, e);
        }
        SnapshotManifest manifest = manifest(key, read.content());
        Long vaultSize = read.declaredSizes().get(manifest.vault().entry());
        if (vaultSize == null) {
            throw new ArchiveEntryMissingException(key + " has no " + manifest.vault().entry());
        }
        return new VerifiedSnapshot(manifest, vaultSize);
    }

    /** An object read whole and checked strictly, the entries {@code keep} names held; damage named by the object. */
    private ZipCodec.VerifiedEntries verifiedEntries(String key, char[] zipPassword, ZipCodec.EntryLimits limits,
                                                     java.util.function.Predicate<String> keep) throws IOException {
        try (InputStream in = store.read(key)) {
            return codec.verifyAndRead(in, zipPassword, limits, keep);
        } catch (CorruptArchiveException e) {
            throw corrupt(key, e);
        }
    }

    private SnapshotContent readSnapshotObject(String key, ObjectEncryption encryption, long recordedVaultSize) throws IOException {
        requireSnapshotKey(key);
        Map<String, byte[]> entries;
        try (InputStream in = store.read(key)) {
            entries = codec.readAll(in, encryption.zipPassword(), ObjectBounds.snapshot(recordedVaultSize));
        } catch (CorruptArchiveException e) {
            throw corrupt(key, e);
        } catch (WrongPasswordException e) {
            throw wrongKey(key, e);
        }
        SnapshotManifest manifest = manifest(key, entries.get(SnapshotManifest.ENTRY));
        byte[] vault = entries.get(manifest.vault().entry());
        if (vault == null) {
            throw new ArchiveEntryMissingException(key + " has no " + manifest.vault().entry());
        }
        return new SnapshotContent(manifest, vault);
    }

    private static WrongPasswordException wrongKey(String key, WrongPasswordException e) {
        return new WrongPasswordException(key + ": its object key does not open it (" + e.getMessage() + ")", e);
    }

    private static SnapshotManifest manifest(String key, byte[] manifestJson) throws IOException {
        if (manifestJson == null) {
            throw new ArchiveEntryMissingException(key + " has no " + SnapshotManifest.ENTRY);
        }
        return RepositoryJson.read(manifestJson, SnapshotManifest.class, key + "/" + SnapshotManifest.ENTRY);
    }

    // ---- blobs

    /** Opens an attachment's plaintext bytes again and again (a write may need a second pass). */
    @FunctionalInterface
    public interface ByteSource {
        InputStream open() throws IOException;
    }

    public ObjectInfo createBlob(String key, ByteSource bytes, ObjectEncryption encryption) throws IOException {
        requireBlobKey(key);
        EntrySource entry = new EntrySource(RepositoryPaths.BLOB_ENTRY, out -> {
            try (InputStream in = bytes.open()) {
                in.transferTo(out);
            }
        }, compressionOf(bytes));
        return store.create(key, ObjectContent.streaming(out -> codec.write(out, List.of(entry), encryption.zipPassword())));
    }

    /** Attachments are often compressed already: decide from their first 64 KiB whether DEFLATE pays. */
    private static ZipCodec.Compression compressionOf(ByteSource bytes) throws IOException {
        byte[] sample = new byte[64 * 1024];
        int n;
        try (InputStream in = bytes.open()) {
            n = in.readNBytes(sample, 0, sample.length);
        }
        return ZipCodec.Compression.forSample(sample, n);
    }

    /** Streams a catalogued blob's plaintext into {@code out}, inflating no further than its recorded size. */
    public long readBlob(BlobEntry entry, OutputStream out) throws IOException {
        return readBlob(entry.path(), entry.encryption(), out, ObjectBounds.blob(entry.plainSize()));
    }

    /** Streams a blob's plaintext into {@code out}, verifying it; returns the number of bytes. */
    public long readBlob(String key, ObjectEncryption encryption, OutputStream out) throws IOException {
        return readBlob(key, encryption, out, ZipCodec.EntryLimits.NONE);
    }

    private long readBlob(String key, ObjectEncryption encryption, OutputStream out, ZipCodec.EntryLimits limits)
            throws IOException {
        requireBlobKey(key);
        CountingOutputStream counting = new CountingOutputStream(out);
        try (InputStream in = store.read(key)) {
            codec.readEntry(in, RepositoryPaths.BLOB_ENTRY, encryption.zipPassword(), counting, limits);
        } catch (CorruptArchiveException e) {
            throw corrupt(key, e);
        } catch (WrongPasswordException e) {
            throw new WrongPasswordException(key + ": its object key does not open it (" + e.getMessage() + ")", e);
        }
        return counting.count();
    }

    /** Reads a whole object and checks its ZIP strictly, inflating no more than the limits allow; returns its entry names. */
    public List<String> verify(String key, char[] zipPassword, ZipCodec.EntryLimits limits) throws IOException {
        try (InputStream in = store.read(key)) {
            return codec.verify(in, zipPassword, limits);
        } catch (CorruptArchiveException e) {
            throw corrupt(key, e);
        }
    }

    public char[] repositoryPassword() {
        return password;
    }

    /**
     * Whether a read failed because the object is damaged, forged or gone (report it, fall back)
     * rather than because the location failed (propagate: never mistake an outage for damage).
     */
    public static boolean isDamage(IOException e) {
        return e instanceof ArchiveException || e instanceof MalformedDocumentException || e instanceof ObjectNotFoundException
                || e instanceof UnexpectedKeyException;
    }

    private static void requireSnapshotKey(String key) throws UnexpectedKeyException {
        if (!RepositoryPaths.isSnapshotKey(key)) {
            throw new UnexpectedKeyException(key + " is not a snapshot's key (snapshots/<id>.zip): refusing to use it as one");
        }
    }

    private static void requireBlobKey(String key) throws UnexpectedKeyException {
        if (!RepositoryPaths.isBlobKey(key)) {
            throw new UnexpectedKeyException(key + " is not a blob's key (blobs/ab/cd/<id>.zip): refusing to use it as one");
        }
    }

    // ----

    private ObjectInfo createZip(String key, List<EntrySource> entries, char[] zipPassword) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        codec.write(buffer, entries, zipPassword);
        return store.create(key, ObjectContent.ofBytes(buffer.toByteArray()));
    }

    /** A repo or index document, inflating no further than {@link ObjectBounds#document()}. */
    private byte[] readDocument(String key, String entry, char[] zipPassword) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = store.read(key)) {
            codec.readEntry(in, entry, zipPassword, out, ObjectBounds.document());
        } catch (CorruptArchiveException e) {
            throw corrupt(key, e);
        }
        return out.toByteArray();
    }

    /** Damage named by its object, in one line: what a user sees of it. */
    private static CorruptArchiveException corrupt(String key, CorruptArchiveException e) {
        return new CorruptArchiveException("corrupt object " + key + ": " + e.getMessage(), e);
    }
}
