package io.vaultkeep.protocol.repository;

/** Where the repository's objects live. Only the default layout is valid in format version 1. */
public record RepoLayout(String repo, String indexes, String snapshots, String blobs) {

    public static final RepoLayout DEFAULT = new RepoLayout("repo.zip", "indexes/", "snapshots/", "blobs/");

    public RepoLayout {
        repo = repo == null ? DEFAULT_REPO : repo;
        indexes = indexes == null ? "indexes/" : indexes;
        snapshots = snapshots == null ? "snapshots/" : snapshots;
        blobs = blobs == null ? "blobs/" : blobs;
    }

    private static final String DEFAULT_REPO = "repo.zip";
}
