package io.vaultkeep.engine.account;

/** Why a run or prune failed, in the terms an operator acts on. */
public enum FailureKind {
    /** The vault could not be taken: no export, a malformed export, nothing pushed yet, a server down. */
    SOURCE_UNAVAILABLE,
    /**
     * The source refused what it was given: an API key or token the server refuses, a master password
     * that does not open the vault, KDF parameters beyond the engine's limits. Only new settings help.
     */
    SOURCE_REFUSED,
    /** The location did not answer or refused an operation. */
    LOCATION_UNAVAILABLE,
    /** The location has no space left. */
    LOCATION_FULL,
    /** The location answered but failed Keyguard's location test: it cannot keep a repository. */
    LOCATION_UNFIT,
    /** The backup password does not open the repository, or the password mode does not match. */
    WRONG_PASSWORD,
    /** The repository is damaged or not one this engine can write. */
    REPOSITORY_UNUSABLE,
    /** The newest index generation cannot be read: nothing is written until {@code vaultkeep repair}. */
    REPOSITORY_DAMAGED,
    /** A fault of the engine itself. */
    INTERNAL;

    /** Failures that retrying alone will not fix: a person must change a setting or the location. */
    public boolean needsAttention() {
        return this == WRONG_PASSWORD || this == SOURCE_REFUSED || this == LOCATION_FULL || this == LOCATION_UNFIT
                || this == REPOSITORY_UNUSABLE || this == REPOSITORY_DAMAGED;
    }
}
