package io.vaultkeep.storage.retention;

import java.time.Instant;

/** What retention needs to know of a snapshot. */
public record SnapshotAge(String id, Instant createdAt) {}
