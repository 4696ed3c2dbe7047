package io.vaultkeep.protocol.repository;

import java.time.Instant;

/** The index's catalogue entry for one stored attachment blob. */
public record BlobEntry(
        String path,
        Long plainSize,
        Long encryptedSize,
        Instant createdAt,
        Instant lastSeenAt,
        Instant lastValidatedAt,
        ObjectEncryption encryption) {

    public BlobEntry {
        encryption = ObjectEncryption.orNone(encryption);
    }

    public BlobEntry seenAt(Instant at) {
        return new BlobEntry(path, plainSize, encryptedSize, createdAt, at, lastValidatedAt, encryption);
    }

    public BlobEntry validatedAt(Instant at) {
        return new BlobEntry(path, plainSize, encryptedSize, createdAt, lastSeenAt, at, encryption);
    }
}
