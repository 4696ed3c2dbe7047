package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Whether a run would store exactly what the newest snapshot already holds: the same vault bytes,
 * the same attachments option, and the same attachments (by fingerprint, blob, name and size, in
 * any order). Then there is nothing to commit: a flood of "back up now" adds no snapshot and so
 * pushes no real history out of retention.
 */
public final class UnchangedContent {

    private UnchangedContent() {}

    public static boolean same(SnapshotManifest newest, byte[] newestVault, boolean includeAttachments, byte[] vault,
                               List<ManifestAttachment> attachments) {
        return newest.options() != null && newest.options().includeAttachments() == includeAttachments
                && Arrays.equals(newestVault, vault)
                && newest.attachments().size() == attachments.size()
                && new HashSet<>(newest.attachments()).equals(new HashSet<>(attachments));
    }
}
