package io.vaultkeep.storage.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The object names of format version 1. */
public final class RepositoryPaths {

    public static final String REPO = "repo.zip";
    public static final String REPO_ENTRY = "repo.json";
    public static final String INDEXES = "indexes/";
    public static final String INDEX_ENTRY = "index.json";
    public static final String SNAPSHOTS = "snapshots/";
    public static final String BLOBS = "blobs/";
    public static final String BLOB_ENTRY = "attachment.bin";

    /** Keeps an object's file name within what every file system and WebDAV server accepts. */
    private static final int MAX_NAME_LENGTH = 200;
    private static final Pattern INDEX_NAME = Pattern.compile("(\\d{20})-(.+)\\.zip");
    // this project writes snapshot times in UTC; Keyguard uses local time, so names are never parsed for time
    private static final DateTimeFormatter SNAPSHOT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private static final int GENERATION_DIGITS = 20;

    private RepositoryPaths() {}

    /** An index object's name split into its parts. */
    public record IndexName(long generation, String indexId) {}

    public static String index(long generation, String indexId) {
        return INDEXES + generationDigits(generation) + "-" + indexId + ".zip";
    }

    /**
     * The generation zero-padded to 20 characters, in ASCII digits whatever the default locale (a
     * {@code String.format("%020d")} wrote Thai or Arabic-Indic digits under such a locale, names no other
     * writer reads), and without a formatter: a one-shot command's first one cost it milliseconds.
     */
    static String generationDigits(long generation) {
        String digits = Long.toString(generation);
        int width = GENERATION_DIGITS;
        StringBuilder padded = new StringBuilder(width);
        if (generation < 0) {
            padded.append('-');
            digits = digits.substring(1);
            width--;
        }
        for (int i = digits.length(); i < width; i++) {
            padded.append('0');
        }
        return padded.append(digits).toString();
    }

    /** Parses {@code indexes/<20 digits>-<id>.zip}; anything else is not an index. */
    public static Optional<IndexName> parseIndex(String key) {
        if (!key.startsWith(INDEXES)) {
            return Optional.empty();
        }
        String name = key.substring(INDEXES.length());
        Matcher m = INDEX_NAME.matcher(name);
        if (!m.matches() || m.group(2).contains("/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new IndexName(Long.parseLong(m.group(1)), m.group(2)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 20 digits can exceed a long: not ours
        }
    }

    /**
     * A new snapshot id, {@code <yyyyMMddHHmmss>-<uuid>}: Keyguard derives a snapshot's object name
     * from its id ({@code snapshots/<id>.zip}) when it prunes, so the id carries the time.
     */
    public static String newSnapshotId(Instant createdAt) {
        return SNAPSHOT_TIME.format(createdAt) + "-" + java.util.UUID.randomUUID();
    }

    public static String snapshot(String snapshotId) {
        return SNAPSHOTS + snapshotId + ".zip";
    }

    /**
     * Whether {@code key} is a snapshot object's key, {@code snapshots/<id>.zip} with the id one plain
     * name. The time part is not parsed: Keyguard formats it per platform (on iOS as an ISO instant).
     */
    public static boolean isSnapshotKey(String key) {
        return key != null && key.startsWith(SNAPSHOTS) && key.endsWith(".zip")
                && isPlainName(key.substring(SNAPSHOTS.length(), key.length() - ".zip".length()));
    }

    /** Whether {@code key} is where snapshot {@code snapshotId} lives (Keyguard derives one from the other). */
    public static boolean isSnapshotKeyOf(String snapshotId, String key) {
        return isPlainName(snapshotId) && snapshot(snapshotId).equals(key);
    }

    /** Whether {@code key} is a blob object's key: {@code blobs/ab/cd/<id>.zip}, its folders those of its id. */
    public static boolean isBlobKey(String key) {
        if (key == null || !key.startsWith(BLOBS) || !key.endsWith(".zip")) {
            return false;
        }
        String blobId = key.substring(key.lastIndexOf('/') + 1, key.length() - ".zip".length());
        return isBlobKeyOf(blobId, key);
    }

    /** Whether {@code key} is where blob {@code blobId} lives. */
    public static boolean isBlobKeyOf(String blobId, String key) {
        return isPlainName(blobId) && blob(blobId).equals(key);
    }

    /**
     * An id that is one file name and nothing else: not empty, no separator or control character,
     * not hidden (which also keeps it from being a temporary file or '.' or '..').
     */
    static boolean isPlainName(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_NAME_LENGTH || id.charAt(0) == '.') {
            return false;
        }
        return id.chars().noneMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c));
    }

    /**
     * {@code blobs/<b0b1>/<b2b3>/<blobId>.zip}: the first two and the next two characters of the
     * id, as far as they exist; a segment with no characters at all is "00" (Keyguard's rule).
     */
    public static String blob(String blobId) {
        String first = blobId.substring(0, Math.min(2, blobId.length()));
        String second = blobId.length() > 2 ? blobId.substring(2, Math.min(4, blobId.length())) : "";
        return BLOBS + (first.isEmpty() ? "00" : first) + "/" + (second.isEmpty() ? "00" : second)
                + "/" + blobId + ".zip";
    }
}
