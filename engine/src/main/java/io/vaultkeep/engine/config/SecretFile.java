package io.vaultkeep.engine.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * A secret kept in a file of its own, as systemd's {@code LoadCredential}, Docker secrets and
 * Kubernetes secret volumes provide them: UTF-8 text, one trailing line break dropped. A file other
 * users may read or write is refused (the secret is already exposed, or can be swapped). Errors name
 * the file and what is wrong with it, never its content.
 */
public final class SecretFile {

    /** Beyond this a file is not a password but a mistake (a key store, a log named by accident). */
    static final int MAX_BYTES = 64 * 1024;

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretFile() {}

    /**
     * The file's content as characters the caller wipes; the bytes read are wiped here.
     *
     * @throws IllegalArgumentException naming the file when it is missing, not a regular file,
     *         open to other users, unreadable, empty, too large or not UTF-8
     */
    public static char[] read(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (!Files.exists(f)) {
            throw new IllegalArgumentException("secret file " + f + " does not exist");
        }
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("secret file " + f + " is not a regular file");
        }
        checkPrivate(f);
        byte[] bytes;
        try {
            if (Files.size(f) > MAX_BYTES) {
                throw new IllegalArgumentException("secret file " + f + " is larger than " + MAX_BYTES / 1024
                        + " KiB: it does not hold a password or key");
            }
            bytes = Files.readAllBytes(f);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("secret file " + f + " cannot be read (permission denied)");
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("secret file " + f + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("secret file " + f + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return decode(f, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void checkPrivate(Path f) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(f);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions to judge (Windows): the file system's ACLs apply
        } catch (IOException e) {
            throw new IllegalArgumentException("secret file " + f + " cannot be examined (" + e.getClass().getSimpleName() + ")");
        }
        if (!java.util.Collections.disjoint(permissions, OTHERS)) {
            throw new IllegalArgumentException("secret file " + f + " is open to other users (" + PosixFilePermissions.toString(permissions)
                    + "): make it private to its owner, e.g. chmod 600 " + f);
        }
    }

    private static char[] decode(Path f, byte[] bytes) {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length == 0) {
            throw new IllegalArgumentException("secret file " + f + " is empty");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(bytes, 0, length));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("secret file " + f + " is not UTF-8 text");
        }
        char[] value = new char[chars.remaining()];
        chars.get(value);
        Arrays.fill(chars.array(), '\0');
        return value;
    }
}
