package io.vaultkeep.storage.restore;

import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import io.vaultkeep.storage.repository.ExportPaths;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.repository.RepositoryException;
import io.vaultkeep.storage.repository.OrderedReads;
import io.vaultkeep.storage.repository.RepositoryObjects;
import io.vaultkeep.storage.repository.RepositoryObjects.SnapshotContent;
import io.vaultkeep.storage.store.SlicedFileIo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Restores one snapshot out of the repository: its {@code vault.json} exactly as stored plus its
 * attachments, as a folder or as the zip that {@code bw export --format zip} writes. Everything it
 * creates is private to the user (folders 0700, files 0600); it never overwrites a file.
 */
public final class SnapshotRestore {

    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** How many candidates an ambiguous snapshot id prefix lists. */
    private static final int AMBIGUOUS_SHOWN = 10;

    private SnapshotRestore() {}

    /**
     * What was restored; {@code renamed} says, one line each, which attachments were written under
     * another name because an earlier one already had theirs.
     */
    public record Restored(String snapshotId, Path output, int attachments, long bytes, List<String> renamed) {
        public Restored {
            renamed = List.copyOf(renamed);
        }
    }

    /**
     * Which part of a snapshot to restore: the vault as {@code vault} rewrites it (plaintext, after a
     * sealed snapshot is opened), and the attachments {@code attachments} keeps.
     */
    public record Part(java.util.function.UnaryOperator<byte[]> vault, java.util.function.Predicate<ManifestAttachment> attachments) {
        public static final Part WHOLE = new Part(vault -> vault, attachment -> true);
    }

    /** The snapshot named by its id or a unique prefix of it, or the newest for "latest". */
    public static Map.Entry<String, SnapshotEntry> find(IndexDocument catalogue, String idOrLatest) throws RepositoryException {
        if (catalogue.snapshots().isEmpty()) {
            throw new RepositoryException("the repository has no snapshots");
        }
        if (idOrLatest == null || idOrLatest.equals("latest")) {
            return IndexState.newestSnapshot(catalogue).orElseThrow();
        }
        String id = uniqueId(catalogue.snapshots().keySet(), idOrLatest);
        return Map.entry(id, catalogue.snapshots().get(id));
    }

    /**
     * The snapshot id {@code idOrPrefix} names: the id itself, or the one id it begins (as restic
     * and git take a unique prefix of an id).
     *
     * @throws RepositoryException when no id begins with it, or several do (they are listed)
     */
    static String uniqueId(java.util.Collection<String> ids, String idOrPrefix) throws RepositoryException {
        if (ids.contains(idOrPrefix)) {
            return idOrPrefix;
        }
        if (idOrPrefix.isBlank()) {
            throw new RepositoryException("no snapshot id given (see `vaultkeep snapshots`)");
        }
        List<String> matches = ids.stream().filter(id -> id.startsWith(idOrPrefix)).sorted().toList();
        if (matches.isEmpty()) {
            throw new RepositoryException("no snapshot " + idOrPrefix + " in the repository (see `vaultkeep snapshots`)");
        }
        if (matches.size() > 1) {
            int shown = Math.min(matches.size(), AMBIGUOUS_SHOWN);
            throw new RepositoryException("snapshot id " + idOrPrefix + " is ambiguous: it begins " + matches.size() + " snapshot ids ("
                    + String.join(", ", matches.subList(0, shown)) + (shown < matches.size() ? ", …" : "")
                    + "); give more of the id");
        }
        return matches.get(0);
    }

    /** {@code <dir>/vault.json} and {@code <dir>/attachments/<attachmentId>/<fileName>}. */
    public static Restored toDirectory(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path dir)
            throws IOException {
        return toDirectory(objects, catalogue, snapshotId, dir, null);
    }

    /**
     * As {@link #toDirectory(RepositoryObjects, IndexDocument, String, Path)}; a sealed snapshot is
     * written as its opened vault (the plaintext export) with its attachments decrypted.
     *
     * @param sealed the snapshot's vault opened with the master password, or null for a plain snapshot
     */
    public static Restored toDirectory(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path dir,
                                       SealedVault.Opened sealed) throws IOException {
        return toDirectory(objects, catalogue, snapshotId, dir, sealed, Part.WHOLE, OrderedReads.DEFAULT_READERS);
    }

    /** As above, only {@code part} of the snapshot. */
    public static Restored toDirectory(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path dir,
                                       SealedVault.Opened sealed, Part part) throws IOException {
        return toDirectory(objects, catalogue, snapshotId, dir, sealed, part, OrderedReads.DEFAULT_READERS);
    }

    /** As above, the whole snapshot, reading up to {@code readers} attachments at once. */
    public static Restored toDirectory(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path dir,
                                       SealedVault.Opened sealed, int readers) throws IOException {
        return toDirectory(objects, catalogue, snapshotId, dir, sealed, Part.WHOLE, readers);
    }

    /**
     * {@code part} of the snapshot, reading up to {@code readers} attachments at once. Names are
     * chosen and files created one after another first, so they are what a single reader would
     * choose; only the reading (and its verification) and the writing of contents overlap. When one
     * fails, the files of it and of the attachments after it are removed, which leaves what a single
     * reader would have left.
     */
    public static Restored toDirectory(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path dir,
                                       SealedVault.Opened sealed, Part part, int readers) throws IOException {
        SnapshotEntry entry = catalogue.snapshots().get(snapshotId);
        SnapshotContent content = objects.readSnapshot(entry);
        byte[] vaultJson = part.vault().apply(sealed == null ? content.vaultJson() : sealed.exportJson());
        List<ManifestAttachment> attachments = content.manifest().attachments().stream().filter(part.attachments()).toList();
        prepareEmptyDirectory(dir);
        long bytes = vaultJson.length;
        writePrivateFile(dir.resolve("vault.json"), out -> out.write(vaultJson));
        List<String> renamed = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Set<Path> complete = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<OrderedReads.Read<Long>> reads = new ArrayList<>();
        // an attachment that cannot be placed (its blob not catalogued, say) ends the restore after the
        // ones before it are written, as one after another it did
        Exception unplaced = null;
        for (ManifestAttachment a : attachments) {
            try {
                BlobEntry blob = blobOf(catalogue, a);
                String folderName = ExportPaths.safeSegment(a.attachmentId());
                Path folder = dir.resolve("attachments").resolve(folderName);
                createPrivateDirectories(folder);
                String wanted = ExportPaths.safeSegment(fileName(a, sealed));
                String name = ExportPaths.firstFree(wanted, candidate -> Files.exists(folder.resolve(candidate), LinkOption.NOFOLLOW_LINKS));
                Path file = folder.resolve(name);
                createPrivateFile(file);
                noteRenamed(renamed, "attachments/" + folderName + "/", wanted, name);
                files.add(file);
                reads.add(() -> {
                    long[] written = new long[1];
                    fillPrivateFile(file, out -> written[0] = attachment(objects, blob, a, sealed, out));
                    complete.add(file);
                    return written[0];
                });
            } catch (IOException | RuntimeException e) {
                unplaced = e;
                break;
            }
        }
        List<Long> written;
        try (OrderedReads parallel = new OrderedReads(readers)) {
            written = parallel.inOrder(reads);
        } catch (IOException | RuntimeException e) {
            removeUnfinished(files, complete, e);
            throw e;
        }
        if (unplaced instanceof IOException e) {
            throw e;
        }
        if (unplaced instanceof RuntimeException e) {
            throw e;
        }
        for (long n : written) {
            bytes += n;
        }
        return new Restored(snapshotId, dir, attachments.size(), bytes, renamed);
    }

    /**
     * After a failed read: removes every file from the first that is not complete on. Reads are
     * awaited in order, so that is the failed one; the ones after it may have finished too, but a
     * single reader would not have written them.
     */
    private static void removeUnfinished(List<Path> files, Set<Path> complete, Exception failure) {
        boolean removing = false;
        for (Path file : files) {
            removing = removing || !complete.contains(file);
            if (removing) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private static String fileName(ManifestAttachment a, SealedVault.Opened sealed) {
        return sealed == null ? a.fileName() : sealed.fileName(a.attachmentId());
    }

    /** Writes the attachment's file: the blob as stored, or for a sealed snapshot its decryption. */
    private static long attachment(RepositoryObjects objects, BlobEntry blob, ManifestAttachment a, SealedVault.Opened sealed,
                                   java.io.OutputStream out) throws IOException {
        if (sealed == null) {
            return objects.readBlob(blob, out);
        }
        java.io.ByteArrayOutputStream encrypted = new java.io.ByteArrayOutputStream();
        objects.readBlob(blob, encrypted);
        byte[] plain = sealed.decryptAttachment(a.attachmentId(), encrypted.toByteArray());
        out.write(plain);
        return plain.length;
    }

    /**
     * The {@code bw export --format zip} layout in one new file: {@code data.json} (the vault) and
     * {@code attachments/<cipherId>/<fileName>}.
     */
    public static Restored toBitwardenZip(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path zipFile)
            throws IOException {
        return toBitwardenZip(objects, catalogue, snapshotId, zipFile, null);
    }

    /** As above; a sealed snapshot (opened with the master password) is written decrypted. */
    public static Restored toBitwardenZip(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path zipFile,
                                         SealedVault.Opened sealed) throws IOException {
        return toBitwardenZip(objects, catalogue, snapshotId, zipFile, sealed, Part.WHOLE);
    }

    /** As above, only {@code part} of the snapshot. */
    public static Restored toBitwardenZip(RepositoryObjects objects, IndexDocument catalogue, String snapshotId, Path zipFile,
                                         SealedVault.Opened sealed, Part part) throws IOException {
        SnapshotEntry entry = catalogue.snapshots().get(snapshotId);
        SnapshotContent content = objects.readSnapshot(entry);
        List<EntrySource> entries = new ArrayList<>();
        entries.add(EntrySource.ofBytes("data.json", part.vault().apply(sealed == null ? content.vaultJson() : sealed.exportJson())));
        List<ManifestAttachment> attachments = content.manifest().attachments().stream().filter(part.attachments()).toList();
        Set<String> names = new HashSet<>();
        List<String> renamed = new ArrayList<>();
        for (ManifestAttachment a : attachments) {
            BlobEntry blob = blobOf(catalogue, a);
            String cipher = a.remoteCipherId() != null ? a.remoteCipherId() : a.localCipherId();
            String folder = "attachments/" + ExportPaths.safeSegment(cipher) + "/";
            String wanted = ExportPaths.safeSegment(fileName(a, sealed));
            String name = ExportPaths.firstFree(wanted, candidate -> names.contains(folder + candidate));
            names.add(folder + name);
            noteRenamed(renamed, folder, wanted, name);
            entries.add(new EntrySource(folder + name, out -> attachment(objects, blob, a, sealed, out)));
        }
        if (zipFile.getParent() != null) {
            createPrivateDirectories(zipFile.getParent());
        }
        writePrivateFile(zipFile, out -> objects.codec().write(out, entries, null));
        return new Restored(snapshotId, zipFile, attachments.size(), Files.size(zipFile), renamed);
    }

    /** One new private file holding {@code content}, its folder created private if missing. */
    public static Restored toFile(Path file, String snapshotId, byte[] content) throws IOException {
        if (file.getParent() != null) {
            createPrivateDirectories(file.getParent());
        }
        writePrivateFile(file, out -> out.write(content));
        return new Restored(snapshotId, file, 0, content.length, List.of());
    }

    private static void noteRenamed(List<String> renamed, String folder, String wanted, String name) {
        if (!name.equals(wanted)) {
            renamed.add(folder + wanted + " written as " + folder + name + ": another attachment there has the same name");
        }
    }

    private static BlobEntry blobOf(IndexDocument catalogue, ManifestAttachment a) throws RepositoryException {
        BlobEntry blob = catalogue.blobs().get(a.blobId());
        if (blob == null) {
            throw new RepositoryException("attachment " + a.attachmentId() + " needs blob " + a.blobId() + ", which the index does not list");
        }
        return blob;
    }

    private static void prepareEmptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new FileAlreadyExistsException(dir + " exists and is not a folder");
            }
            try (var listing = Files.list(dir)) {
                if (listing.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(dir + " is not empty: restore into a new or empty folder");
                }
            }
        }
        createPrivateDirectories(dir);
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            createPrivateDirectories(dir.getParent());
        }
        if (POSIX) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(dir);
        }
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Creates the file (never replaces one) private to the user; removes it if writing fails. */
    private static void writePrivateFile(Path file, Content content) throws IOException {
        createPrivateFile(file);
        fillPrivateFile(file, content);
    }

    /** Creates an empty file private to the user; fails if there is one. */
    private static void createPrivateFile(Path file) throws IOException {
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Files.createFile(file, attributes);
    }

    /** Writes a file {@link #createPrivateFile} made; removes it if writing fails. */
    private static void fillPrivateFile(Path file, Content content) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(
                SlicedFileIo.output(Files.newOutputStream(file, StandardOpenOption.WRITE)), SlicedFileIo.SLICE)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
