package io.vaultkeep.storage.repository;

import java.util.List;

/**
 * A vault as its source delivered it for one backup run, which stores it: the vault as a Bitwarden
 * unencrypted JSON export (exactly the bytes that become {@code vault.json}), and the attachments
 * its items carry.
 *
 * @param cipherCount the number of items in the export
 * @param includeAttachments false: no attachment is stored or counted (Keyguard's rule)
 * @param unavailableAttachmentCount attachments the vault lists whose bytes the source cannot
 *     provide; they are counted as skipped
 * @param warnings what the source left out of this vault and a person should know (one line each,
 *     never vault content); the run still backs the vault up
 */
public record FetchedVault(byte[] vaultJson, int cipherCount, boolean includeAttachments,
                           List<AttachmentSource> attachments, int unavailableAttachmentCount, List<String> warnings) {

    public FetchedVault {
        attachments = List.copyOf(attachments);
        warnings = List.copyOf(warnings);
    }

    /** A vault its source took in whole. */
    public FetchedVault(byte[] vaultJson, int cipherCount, boolean includeAttachments,
                        List<AttachmentSource> attachments, int unavailableAttachmentCount) {
        this(vaultJson, cipherCount, includeAttachments, attachments, unavailableAttachmentCount, List.of());
    }

    /** The same vault with other JSON bytes (its source keeping the JSON apart, e.g. compressed). */
    public FetchedVault withVaultJson(byte[] json) {
        return new FetchedVault(json, cipherCount, includeAttachments, attachments, unavailableAttachmentCount, warnings);
    }

    /** The same vault backed up without attachments (the account's choice, whatever its source offers). */
    public FetchedVault withoutAttachments() {
        return new FetchedVault(vaultJson, cipherCount, false, attachments, unavailableAttachmentCount, warnings);
    }

    /**
     * One attachment: the ids that make its Keyguard fingerprint, its name, its size, and a
     * re-openable source of its plaintext bytes.
     */
    public record AttachmentSource(
            String accountId,
            String localCipherId,
            String remoteCipherId,
            String attachmentId,
            String fileName,
            Long size,
            RepositoryObjects.ByteSource content) {

        public String fingerprint() {
            return AttachmentFingerprint.of(accountId, localCipherId, remoteCipherId, attachmentId, size);
        }

        /**
         * Where restore writes it: {@code attachments/<attachmentId>/<fileName>}, each part made one
         * safe file name (a hostile id like {@code ../../x} never reaches a manifest as a path).
         */
        public String exportPath() {
            return "attachments/" + ExportPaths.safeSegment(attachmentId) + "/" + safeFileName();
        }

        /** The file name as written into a manifest: one safe path segment. */
        public String safeFileName() {
            return ExportPaths.safeSegment(fileName);
        }
    }
}
