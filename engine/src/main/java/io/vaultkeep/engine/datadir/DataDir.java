package io.vaultkeep.engine.datadir;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The engine's data folder (journal, status token, cluster keys): private to the user the engine
 * runs as. Every other local user is kept out by the folder's mode alone, so it is made 0700 even
 * when it already existed wider, every file in it 0600, and a folder that another user owns (who
 * could read or replace what is in it) is refused.
 */
public final class DataDir {

    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDir() {}

    /**
     * Creates {@code dir} (and its missing parents) 0700, or tightens an existing one: the folder
     * and every folder in it to 0700, every file in it to 0600.
     *
     * @return the absolute, normalized folder
     * @throws IOException naming the folder and the owner when another user owns it
     */
    public static Path prepare(Path dir) throws IOException {
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
        } else if (!Files.isDirectory(folder)) {
            throw new IOException("data-dir " + folder + " is not a folder");
        }
        UserPrincipal owner = Files.getOwner(folder);
        UserPrincipal self = FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!owner.equals(self)) {
            throw new IOException("data-dir " + folder + " belongs to user " + owner.getName() + ", not to "
                    + self.getName() + " who runs VaultKeep: use a folder of your own");
        }
        tighten(folder);
        return folder;
    }

    /** Sets the folder and everything in it private again (files some library created with the umask's mode). */
    public static void tighten(Path folder) throws IOException {
        try (Stream<Path> tree = Files.walk(folder)) {
            for (Path p : tree.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue; // its target is not ours to change
                }
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? FOLDER : FILE);
            }
        }
    }

    /** The attribute that creates a file 0600 from the start (no window in which it is readable). */
    public static FileAttribute<Set<PosixFilePermission>> privateFile() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /**
     * Writes {@code content} to {@code file} whole or not at all: a 0600 temporary sibling, then a
     * rename over the old file.
     */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", privateFile());
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
