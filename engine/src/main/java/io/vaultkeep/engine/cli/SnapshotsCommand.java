package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.store.ObjectStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshots", header = "List the repository's snapshots, newest first.",
        description = "Each with its id, time, items, attachments and size (vault plus attachment bytes).")
final class SnapshotsCommand extends RepositoryCommand {

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    /** One row of the listing; {@code size} is the vault plus the plaintext of its attachments. */
    record Row(String id, Instant createdAt, int items, int attachments, long vaultSize, long size) {}

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open(); BackupRepository repository = password.open(store)) {
            IndexState index = repository.readIndex();
            List<Row> rows = rows(index.catalogue());
            // invariant «never build on an unreadable index» (docs/design.md): a partial listing must
            // not pass for the whole one
            index.unreadable().forEach(u -> warn(u
                    + "; its snapshots are missing from this list: run 'vaultkeep check', then 'vaultkeep repair'"));
            index.conflicts().forEach(c -> warn(c.toString()));
            int exit = index.damaged() ? VaultKeepCli.EXIT_PROBLEMS_FOUND : 0;
            if (json) {
                printJson(rows);
                return exit;
            }
            out().printf("%-52s  %-24s  %6s  %11s  %10s%n", "ID", "CREATED", "ITEMS", "ATTACHMENTS", "SIZE");
            for (Row r : rows) {
                out().printf("%-52s  %-24s  %6d  %11d  %10s%n", r.id(), r.createdAt(), r.items(), r.attachments(), bytes(r.size()));
            }
            out().println(Counted.of(rows.size(), "snapshot"));
            return exit;
        }
    }

    static List<Row> rows(IndexDocument catalogue) {
        return catalogue.snapshots().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, SnapshotEntry> e) -> e.getValue().createdAt())
                        .thenComparing(Map.Entry::getKey).reversed())
                .map(e -> {
                    SnapshotEntry s = e.getValue();
                    long attachmentBytes = s.blobIds().stream()
                            .map(catalogue.blobs()::get)
                            .filter(b -> b != null && b.plainSize() != null)
                            .mapToLong(b -> b.plainSize())
                            .sum();
                    return new Row(e.getKey(), s.createdAt(), s.stats().cipherCount(), s.stats().attachmentCount(),
                            s.vaultSize(), s.vaultSize() + attachmentBytes);
                })
                .toList();
    }
}
