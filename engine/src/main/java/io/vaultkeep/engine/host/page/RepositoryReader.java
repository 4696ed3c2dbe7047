package io.vaultkeep.engine.host.page;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.retention.RetentionPlan;
import io.vaultkeep.storage.retention.RetentionRule;
import io.vaultkeep.storage.retention.SnapshotAge;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an account's repository index into a {@link RepositoryView}: read only, no lock taken. */
public final class RepositoryReader {

    private RepositoryReader() {}

    /**
     * Opens the repository in {@code store} with {@code password} (null: a plain repository; the
     * caller keeps and wipes its array) and reads its index.
     *
     * @param retention the account's maximum of snapshots, 0 for never
     */
    public static RepositoryView read(ObjectStore store, char[] password, int retention, Instant now) throws IOException {
        if (!BackupRepository.exists(store)) {
            return new RepositoryView(now, false, List.of(), 0, retention, null);
        }
        try (BackupRepository repository = BackupRepository.open(store, new Zip4jCodec(), password, Clock.systemUTC())) {
            return view(repository.readIndex(), retention, now);
        }
    }

    /** The view of a catalogue as read: sizes from the index, the retention rule applied as a prune at {@code now} would. */
    static RepositoryView view(IndexState index, int retention, Instant now) {
        IndexDocument catalogue = index.catalogue();
        List<SnapshotAge> ages = catalogue.snapshots().entrySet().stream()
                .map(e -> new SnapshotAge(e.getKey(), e.getValue().createdAt())).toList();
        RetentionPlan plan = RetentionRule.select(ages, retention, now);
        Set<String> dropped = new HashSet<>(plan.dropped());
        List<RepositoryView.SnapshotRow> rows = catalogue.snapshots().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, SnapshotEntry> e) -> e.getValue().createdAt())
                        .thenComparing(Map.Entry::getKey).reversed())
                .map(e -> row(catalogue, e.getKey(), e.getValue(), !dropped.contains(e.getKey())))
                .toList();
        long stored = catalogue.snapshots().values().stream().mapToLong(SnapshotEntry::vaultSize).sum()
                + catalogue.blobs().values().stream().mapToLong(RepositoryReader::storedSize).sum();
        String problem = index.damaged()
                ? "the index is damaged (" + String.join("; ", index.unreadable().stream().map(Object::toString).toList())
                  + "): this list may lack snapshots; run 'vaultkeep check', then 'vaultkeep repair'"
                : null;
        return new RepositoryView(now, true, rows, stored, retention, problem);
    }

    private static RepositoryView.SnapshotRow row(IndexDocument catalogue, String id, SnapshotEntry s, boolean kept) {
        long attachmentBytes = s.blobIds().stream().map(catalogue.blobs()::get)
                .filter(b -> b != null && b.plainSize() != null).mapToLong(BlobEntry::plainSize).sum();
        return new RepositoryView.SnapshotRow(id, s.createdAt(), s.stats().cipherCount(), s.stats().attachmentCount(),
                s.vaultSize() + attachmentBytes, kept);
    }

    private static long storedSize(BlobEntry blob) {
        Long size = blob.encryptedSize() != null ? blob.encryptedSize() : blob.plainSize();
        return size == null ? 0 : size;
    }
}
