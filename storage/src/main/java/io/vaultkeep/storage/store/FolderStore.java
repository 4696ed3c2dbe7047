package io.vaultkeep.storage.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import io.vaultkeep.storage.archive.KeepOpenOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link ObjectStore} in a local folder: the key {@code a/b/c.zip} is the file
 * {@code <root>/a/b/c.zip}.
 *
 * <p>A write goes to a temporary file {@code .kg-tmp-<uuid>.tmp} beside its target (Keyguard's
 * naming, which readers skip), is flushed to disk, and is then published in one step: a hard link
 * for create-only writes (link(2) refuses an existing name atomically, so racing writers cannot
 * overwrite each other) and an atomic rename for replacing writes. The folder is then synced so the
 * new name survives a power loss.
 *
 * <p>On POSIX file systems the folders this store creates are {@code 0700} and its files
 * {@code 0600}, set when they are created so that a vault backup is never readable by others, not
 * even for a moment.
 */
public final class FolderStore implements ObjectStore {

    private static final int WRITE_BUFFER_BYTES = 64 * 1024;
    private static final String FOLDER_MODE = "rwx------";
    private static final String FILE_MODE = "rw-------";

    private final Path root;
    private final boolean posix;

    private FolderStore(Path root, boolean posix) {
        this.root = root;
        this.posix = posix;
    }

    /** Opens the store rooted at {@code root}, creating the folder (and its parents) if missing. */
    public static FolderStore open(Path root) throws IOException {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        boolean posix = absoluteRoot.getFileSystem().supportedFileAttributeViews().contains("posix");
        // Files.isDirectory follows links: a root that is a symlink to a folder is accepted.
        if (!Files.isDirectory(absoluteRoot)) {
            Files.createDirectories(absoluteRoot, permissions(posix, FOLDER_MODE));
        }
        // The real path, so that walking the tree starts at a folder and not at a symlink to one.
        return new FolderStore(absoluteRoot.toRealPath(), posix);
    }

    /** The absolute folder this store keeps its objects in. */
    public Path root() {
        return root;
    }

    @Override
    public ObjectInfo create(String key, ObjectContent content) throws IOException {
        Path target = pathOf(key);
        // Cheap early answer; the hard link below is what actually guarantees create-only.
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ObjectAlreadyExistsException(key);
        }
        return write(key, target, content, false);
    }

    @Override
    public ObjectInfo replace(String key, ObjectContent content) throws IOException {
        return write(key, pathOf(key), content, true);
    }

    @Override
    public InputStream read(String key) throws IOException {
        Path file = existingObject(key);
        try {
            return new BufferedInputStream(SlicedFileIo.input(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException deletedMeanwhile) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "offset and length must not be negative: offset " + offset + ", length " + length);
        }
        Path file = existingObject(key);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long available = channel.size() - offset;
            if (available <= 0 || length == 0) {
                return new byte[0];
            }
            // Sized to what is there, so a huge length on a small object does not allocate much; read in slices
            byte[] bytes = new byte[(int) Math.min(length, available)];
            int filled = 0;
            while (filled < bytes.length) {
                int read = channel.read(ByteBuffer.wrap(bytes, filled, Math.min(SlicedFileIo.SLICE, bytes.length - filled)),
                        offset + filled);
                if (read < 0) {
                    break; // the file shrank since size() was asked
                }
                filled += read;
            }
            return filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled);
        } catch (NoSuchFileException deletedMeanwhile) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return attributesOf(pathOf(key), key)
                .filter(BasicFileAttributes::isRegularFile)
                .map(attributes -> infoOf(key, attributes));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        String folders = ObjectKeys.folderPartOf(prefix);
        Path start = folders.isEmpty() ? root : confined(prefix, root.resolve(folders));
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ObjectInfo> found = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (dir.equals(start)) {
                    return FileVisitResult.CONTINUE;
                }
                // e.g. prefix "blobs/ab" walks "blobs" but need not descend into "blobs/cd"
                return (keyOf(dir) + "/").startsWith(prefix) || prefix.startsWith(keyOf(dir) + "/")
                        ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                // Symlinks are not followed and are not objects; temporary files are writes in flight.
                if (attributes.isRegularFile() && !ObjectKeys.isTemporaryName(file.getFileName().toString())) {
                    String key = keyOf(file);
                    if (key.startsWith(prefix)) {
                        found.add(infoOf(key, attributes));
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while we walked
                }
                throw failure;
            }
        });
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path file = pathOf(key);
        Optional<BasicFileAttributes> attributes = attributesOf(file, key);
        if (attributes.isEmpty() || !attributes.get().isRegularFile()) {
            return false; // a folder or a symbolic link is not an object
        }
        boolean deleted = Files.deleteIfExists(file);
        // Parent folders are left in place: another writer may be creating a file in them right now.
        if (deleted) {
            syncFolder(file.getParent());
        }
        return deleted;
    }

    @Override
    public int cleanTemporaryFiles(long olderThanMillis) throws IOException {
        if (olderThanMillis < 0) {
            throw new IllegalArgumentException("age must not be negative: " + olderThanMillis);
        }
        Instant cutoff = Instant.now().minusMillis(olderThanMillis);
        int[] removed = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()
                        && ObjectKeys.isTemporaryName(file.getFileName().toString())
                        && attributes.lastModifiedTime().toInstant().isBefore(cutoff)
                        && Files.deleteIfExists(file)) {
                    removed[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }
        });
        return removed[0];
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- writing

    private ObjectInfo write(String key, Path target, ObjectContent content, boolean replaceExisting)
            throws IOException {
        Path temporary = null;
        try {
            Path folder = target.getParent();
            createFolders(folder);
            temporary = folder.resolve(ObjectKeys.newTemporaryName());
            BasicFileAttributes written = writeDurably(temporary, content);
            if (replaceExisting) {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                publishWithoutReplacing(key, temporary, target);
            }
            syncFolder(folder);
            // link and rename keep the inode, so the temporary file's size and time are the object's
            return infoOf(key, written);
        } catch (IOException failure) {
            if (!(failure instanceof LocationFullException) && isDiskFull(failure)) {
                throw new LocationFullException(describe(), failure);
            }
            throw failure;
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    /** Writes the content to a new file and forces it to the device; returns the file's attributes. */
    private BasicFileAttributes writeDurably(Path file, ObjectContent content) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(file, options, permissions(posix, FILE_MODE))) {
            OutputStream out = new KeepOpenOutputStream(
                    new BufferedOutputStream(SlicedFileIo.output(Channels.newOutputStream(channel)), WRITE_BUFFER_BYTES));
            content.writeTo(out);
            out.flush();
            long declared = content.size();
            if (declared >= 0 && channel.size() != declared) {
                throw new IOException("content declared " + declared + " bytes but wrote " + channel.size());
            }
            channel.force(true);
        }
        return Files.readAttributes(file, BasicFileAttributes.class);
    }

    private void publishWithoutReplacing(String key, Path temporary, Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException raceLost) {
            throw new ObjectAlreadyExistsException(key);
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            // Some file systems (FAT, exFAT, some network shares) have no hard links. A move without
            // REPLACE_EXISTING still refuses an existing target, though not atomically against a
            // writer racing in the same instant.
            try {
                Files.move(temporary, target);
            } catch (FileAlreadyExistsException raceLost) {
                throw new ObjectAlreadyExistsException(key);
            }
        }
    }

    /** Creates the missing folders from the top down, syncing each new folder's parent. */
    private void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (folder.equals(root)) {
            // An unmounted drive or a deleted location: do not quietly start a new one.
            throw new NoSuchFileException(root.toString(), null, "the store's folder is missing");
        }
        createFolders(folder.getParent());
        try {
            Files.createDirectory(folder, permissions(posix, FOLDER_MODE));
            syncFolder(folder.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw new NotDirectoryException(folder.toString()); // an object sits where a folder must go
            }
            // another writer created it first: fine
        }
    }

    /**
     * Forces a folder's entries to disk. Failure is ignored: some platforms cannot open or sync a
     * folder, and by the time this runs the object is already in place, so reporting the write as
     * failed would be untrue (a retried create would then meet its own object).
     */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException refused) {
            // best effort, see above
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // cleanTemporaryFiles removes it later; the original outcome matters more
        }
    }

    /** The permissions to create with, or none where the file system has no POSIX modes. */
    private static FileAttribute<?>[] permissions(boolean posix, String mode) {
        return posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    /** ENOSPC or an exhausted quota, anywhere in the cause chain (the JDK reports both by message only). */
    private static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t instanceof FileSystemException fse && fse.getReason() != null
                    ? fse.getReason()
                    : t.getMessage();
            if (message != null
                    && (message.contains("No space left on device")
                        || message.contains("Disk quota exceeded")
                        || message.contains("There is not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }

    // ---- reading

    /** The file holding the object, or ObjectNotFoundException if there is none (or a folder). */
    private Path existingObject(String key) throws IOException {
        Path file = pathOf(key);
        Optional<BasicFileAttributes> attributes = attributesOf(file, key);
        if (attributes.isEmpty() || !attributes.get().isRegularFile()) {
            throw new ObjectNotFoundException(key);
        }
        return file;
    }

    /** The file's own attributes (a symbolic link is not followed), or empty if nothing is there. */
    private Optional<BasicFileAttributes> attributesOf(Path file, String key) throws IOException {
        try {
            return Optional.of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // ENOTDIR has no exception type of its own: "a/b" where "a" is a file means no "a/b".
            if (componentIsFile(file)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean componentIsFile(Path file) {
        for (Path folder = file.getParent(); folder != null && !folder.equals(root); folder = folder.getParent()) {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectInfo infoOf(String key, BasicFileAttributes attributes) {
        return new ObjectInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant());
    }

    // ---- keys

    /**
     * The file for a key, after checking that the key cannot leave the root or name a temp file, and
     * that none of its folders is a symbolic link: a crafted repository could otherwise make a prune
     * delete, or a backup write, a file anywhere the user can reach.
     */
    private Path pathOf(String key) throws IOException {
        Path file = root.resolve(ObjectKeys.check(key));
        confined(key, file.getParent());
        return file;
    }

    /**
     * Checks every existing folder from the root down to {@code folder} without following links, and
     * that the deepest existing one really lies under the root. @return {@code folder}
     */
    private Path confined(String key, Path folder) throws IOException {
        Path deepest = root;
        for (Path name : root.relativize(folder)) {
            Path next = deepest.resolve(name);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException | NotDirectoryException absent) {
                break; // nothing further down exists: a write creates real folders there
            }
            if (attributes.isSymbolicLink()) {
                throw new OutsideLocationException(key, next + " is a symbolic link, and " + describe()
                        + " never follows links out of its folder");
            }
            if (!attributes.isDirectory()) {
                break;
            }
            deepest = next;
        }
        if (!deepest.toRealPath().startsWith(root)) {
            throw new OutsideLocationException(key, deepest + " lies outside " + root);
        }
        return folder;
    }


    /** The key of a file under the root: its path relative to the root, '/'-separated on every OS. */
    private String keyOf(Path file) {
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path name : relative) {
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(name);
        }
        return key.toString();
    }
}
