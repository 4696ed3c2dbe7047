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

    // equals and hashCode by hand, as the record's would be: the generated ones are linked through method
    // handles on first use, milliseconds of every command's start (the repository's layout is checked on open)
    @Override
    public boolean equals(Object other) {
        return other instanceof RepoLayout that && repo.equals(that.repo) && indexes.equals(that.indexes)
                && snapshots.equals(that.snapshots) && blobs.equals(that.blobs);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(repo, indexes, snapshots, blobs);
    }
}
