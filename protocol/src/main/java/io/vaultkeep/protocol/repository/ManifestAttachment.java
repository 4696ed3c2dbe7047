package io.vaultkeep.protocol.repository;

/** One attachment a snapshot carries, and the blob that holds its bytes. */
public record ManifestAttachment(
        String accountId,
        String localCipherId,
        String remoteCipherId,
        String attachmentId,
        String fileName,
        Long plainSize,
        String fingerprint,
        String blobId,
        String blobPath,
        String exportPath) {}
