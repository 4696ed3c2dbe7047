package io.vaultkeep.storage.store;

import java.util.UUID;

/**
 * The rules every store applies to keys and list prefixes, and the names of temporary files (Keyguard's
 * {@code .kg-tmp-<uuid>.tmp}), so that a folder and a WebDAV server accept and refuse the same keys
 * (invariant «confined keys», docs/design.md).
 */
public final class ObjectKeys {

    private static final String TEMPORARY_PREFIX = ".kg-tmp-";
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private ObjectKeys() {}

    /**
     * Checks a key: relative, '/'-separated, no empty, '.' or '..' segment, no backslash or NUL, and not
     * the name of a temporary file (which readers skip). @return the key
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        checkCharacters("key", key);
        for (String segment : key.split("/", -1)) {
            checkSegment("key", key, segment);
        }
        if (isTemporaryName(fileName(key))) {
            throw new IllegalArgumentException("key names a temporary file, which readers skip: " + quoted(key));
        }
        return key;
    }

    /** The folders of a list prefix ("blobs/ab/cd" → "blobs/ab"; "blobs" → ""); the last, partial name may be anything. */
    public static String folderPartOf(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null (use \"\" for everything)");
        }
        checkCharacters("prefix", prefix);
        int lastSlash = prefix.lastIndexOf('/');
        if (lastSlash < 0) {
            return "";
        }
        String folders = prefix.substring(0, lastSlash);
        for (String segment : folders.split("/", -1)) {
            checkSegment("prefix", prefix, segment);
        }
        return folders;
    }

    /**
     * Whether a relative path a server or a folder listing gave us stays inside the root: what
     * {@link #check} asks of a key, except that it may name a temporary file.
     */
    public static boolean staysInside(String path) {
        try {
            checkCharacters("path", path);
            for (String segment : path.split("/", -1)) {
                checkSegment("path", path, segment);
            }
            return !path.isEmpty();
        } catch (IllegalArgumentException outside) {
            return false;
        }
    }

    /** "a/b/c.zip" → "c.zip". */
    public static String fileName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    public static boolean isTemporaryName(String fileName) {
        return fileName.startsWith(TEMPORARY_PREFIX) && fileName.endsWith(TEMPORARY_SUFFIX);
    }

    /** A fresh temporary file name, for a write that publishes by rename or MOVE. */
    public static String newTemporaryName() {
        return TEMPORARY_PREFIX + UUID.randomUUID() + TEMPORARY_SUFFIX;
    }

    private static void checkCharacters(String what, String value) {
        if (value.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be relative, not start with '/': " + quoted(value));
        }
        if (value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(what + " must use '/' only, found a backslash: " + quoted(value));
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL: " + quoted(value));
        }
    }

    private static void checkSegment(String what, String value, String segment) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException(what + " has an empty path segment: " + quoted(value));
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException(what + " must not contain '.' or '..' segments: " + quoted(value));
        }
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\0", "\\0") + "\"";
    }
}
