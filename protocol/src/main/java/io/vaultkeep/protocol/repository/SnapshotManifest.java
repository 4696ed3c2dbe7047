package io.vaultkeep.protocol.repository;

import java.time.Instant;
import java.util.List;

/** {@code manifest.json}, the first entry of every snapshot ZIP. */
public record SnapshotManifest(
        Integer formatVersion,
        String snapshotId,
        Instant createdAt,
        Options options,
        VaultRef vault,
        List<ManifestAttachment> attachments,
        SnapshotStats stats) {

    public static final String ENTRY = "manifest.json";
    public static final String VAULT_ENTRY = "vault.json";

    public SnapshotManifest {
        formatVersion = formatVersion == null ? 1 : formatVersion;
        options = options == null ? new Options(true) : options;
        vault = vault == null ? new VaultRef(VAULT_ENTRY, 0) : vault;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        stats = stats == null ? SnapshotStats.EMPTY : stats;
    }

    public record Options(Boolean includeAttachments) {
        public Options {
            includeAttachments = includeAttachments == null ? Boolean.TRUE : includeAttachments;
        }
    }

    /** Names the entry holding the vault export and its size in UTF-8 bytes. */
    public record VaultRef(String entry, long size) {
        public VaultRef {
            entry = entry == null ? VAULT_ENTRY : entry;
        }
    }
}
