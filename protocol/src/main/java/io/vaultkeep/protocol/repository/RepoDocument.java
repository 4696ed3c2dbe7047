package io.vaultkeep.protocol.repository;

import java.time.Instant;
import java.util.List;

/**
 * {@code repo.json} inside {@code repo.zip}: the repository's identity and the format features it
 * uses. Keyguard omits fields equal to their defaults, so every absent field is filled in here.
 */
public record RepoDocument(
        Integer formatVersion,
        String repoId,
        Instant createdAt,
        String app,
        List<String> features,
        RepoCrypto crypto,
        RepoLayout layout) {

    public static final int FORMAT_VERSION = 1;
    public static final String APP = "keyguard";
    public static final String FEATURE_ENCRYPTED_METADATA = "encrypted-zip-metadata";
    public static final String FEATURE_PLAIN_METADATA = "plain-zip-metadata";
    /** Features a reader must find before it may touch the repository. */
    public static final List<String> REQUIRED_FEATURES = List.of(
            "generational-index-zips", "authoritative-index", "index-snapshot-catalog",
            "index-object-keys", "random-blob-ids");

    public RepoDocument {
        formatVersion = formatVersion == null ? FORMAT_VERSION : formatVersion;
        app = app == null ? APP : app;
        features = features == null ? features(true) : List.copyOf(features);
        crypto = crypto == null ? RepoCrypto.forEncryption(true) : crypto;
        layout = layout == null ? RepoLayout.DEFAULT : layout;
    }

    /** A new repository's document, every field written out. */
    public static RepoDocument create(String repoId, Instant createdAt, boolean encrypted) {
        return new RepoDocument(FORMAT_VERSION, repoId, createdAt, APP, features(encrypted),
                RepoCrypto.forEncryption(encrypted), RepoLayout.DEFAULT);
    }

    /** Keyguard's feature list, in Keyguard's order. */
    public static List<String> features(boolean encrypted) {
        return List.of(encrypted ? FEATURE_ENCRYPTED_METADATA : FEATURE_PLAIN_METADATA,
                "generational-index-zips", "authoritative-index", "index-snapshot-catalog",
                "index-object-keys", "snapshot-vault-json", "attachment-blob-zips", "random-blob-ids");
    }
}
