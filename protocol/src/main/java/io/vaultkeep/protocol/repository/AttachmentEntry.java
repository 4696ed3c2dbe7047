package io.vaultkeep.protocol.repository;

import java.time.Instant;

/** The index's map from an attachment fingerprint to the blob that holds its bytes. */
public record AttachmentEntry(String blobId, Long plainSize, Instant createdAt, Instant lastSeenAt) {}
