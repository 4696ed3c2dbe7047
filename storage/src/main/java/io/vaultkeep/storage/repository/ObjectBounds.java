package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.storage.archive.ZipCodec.EntryLimits;

/**
 * How far each kind of object may inflate when it is read: what the catalogue records for it plus
 * a small margin, and fixed caps for the documents the catalogue records no size of. A repository is
 * input like any other, and a ZIP bomb in it must cost neither the heap nor minutes of inflating
 * (invariant «bounded reads», docs/design.md).
 */
public final class ObjectBounds {

    /** The most an index's {@code index.json} may hold (also {@code repo.json}, far smaller in practice). */
    public static final long INDEX_BYTES = 256L * 1024 * 1024;
    /** The most a snapshot's {@code manifest.json} may hold: about 100,000 attachments. */
    public static final long MANIFEST_BYTES = 64L * 1024 * 1024;
    /** Slack over a recorded size, and what any entry the format does not name may hold. */
    public static final long MARGIN = 64L * 1024;

    private ObjectBounds() {}

    /** {@code repo.zip} and index zips: each at most {@link #INDEX_BYTES} in all. */
    public static EntryLimits document() {
        return EntryLimits.atMost(INDEX_BYTES);
    }

    /**
     * A snapshot zip: the manifest, and the vault at most its recorded size (no size recorded: the
     * manifest's cap); any other entry next to nothing.
     */
    public static EntryLimits snapshot(long recordedVaultSize) {
        long vault = recordedVaultSize > 0 ? recordedVaultSize + MARGIN : MANIFEST_BYTES;
        return new EntryLimits(name -> switch (name) {
            case SnapshotManifest.ENTRY -> MANIFEST_BYTES;
            case SnapshotManifest.VAULT_ENTRY -> vault;
            default -> MARGIN;
        }, MANIFEST_BYTES + vault + MARGIN).expecting(name -> SnapshotManifest.VAULT_ENTRY.equals(name) ? Math.max(0, recordedVaultSize) : 0);
    }

    /** A blob zip: its recorded plain size, or no bound when the catalogue records none. */
    public static EntryLimits blob(Long recordedPlainSize) {
        return recordedPlainSize == null || recordedPlainSize < 0
                ? EntryLimits.NONE
                : EntryLimits.atMost(recordedPlainSize + MARGIN);
    }
}
