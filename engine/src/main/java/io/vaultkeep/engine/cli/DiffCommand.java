package io.vaultkeep.engine.cli;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.diff.SnapshotDiff;
import io.vaultkeep.storage.diff.SnapshotDiff.AttachmentSection;
import io.vaultkeep.storage.diff.SnapshotDiff.Section;
import io.vaultkeep.storage.diff.SnapshotDiff.VaultDiff;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.RepositoryObjects.SnapshotContent;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.ObjectStore;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", header = "Show what changed between two snapshots.", description = {
        "Items, folders, collections and attachments added, removed and changed from snapshot A to snapshot B,",
        "with the names of the changed fields (login.password, fields[0].value, …) but not their values."})
final class DiffCommand extends RepositoryCommand {

    @Parameters(index = "0", paramLabel = "A", description = "The older snapshot: an id, a unique prefix of one, or latest.")
    String from;

    @Parameters(index = "1", paramLabel = "B", description = "The newer snapshot: an id, a unique prefix of one, or latest.")
    String to;

    @Option(names = "--show-secrets", description = "Also print the changed fields' values: passwords, notes, TOTP seeds.")
    boolean showSecrets;

    @Option(names = "--json", description = "Print the difference as JSON (see README for its shape).")
    boolean json;

    /** One side's snapshot, as the report names it. */
    record Snapshot(String id, Instant createdAt) {}

    /** The {@code --json} document. */
    record Report(Snapshot from, Snapshot to, Section items, Section folders, Section collections, AttachmentSection attachments) {}

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open(); BackupRepository repository = password.open(store)) {
            IndexDocument catalogue = repository.readIndex().catalogue();
            Map.Entry<String, SnapshotEntry> a = SnapshotRestore.find(catalogue, from);
            Map.Entry<String, SnapshotEntry> b = SnapshotRestore.find(catalogue, to);
            VaultDiff diff = SnapshotDiff.compare(side(repository, a.getValue()), side(repository, b.getValue()), showSecrets);
            Report report = new Report(new Snapshot(a.getKey(), a.getValue().createdAt()), new Snapshot(b.getKey(), b.getValue().createdAt()),
                    diff.items(), diff.folders(), diff.collections(), diff.attachments());
            if (json) {
                printJson(report);
            } else {
                print(report, diff.isEmpty());
            }
        }
        return 0;
    }

    private static SnapshotDiff.Side side(BackupRepository repository, SnapshotEntry entry) throws Exception {
        SnapshotContent content = repository.objects().readSnapshot(entry);
        return new SnapshotDiff.Side(content.vaultJson(), content.manifest().attachments());
    }

    private void print(Report r, boolean same) {
        out().printf("%s (%s) -> %s (%s)%n", r.from().id(), r.from().createdAt(), r.to().id(), r.to().createdAt());
        printSection("item", r.items());
        printSection("folder", r.folders());
        printSection("collection", r.collections());
        AttachmentSection at = r.attachments();
        at.added().forEach(x -> out().printf("+ attachment %s/%s %s (%s)%n", x.itemId(), x.attachmentId(), x.fileName(), size(x.size())));
        at.removed().forEach(x -> out().printf("- attachment %s/%s %s (%s)%n", x.itemId(), x.attachmentId(), x.fileName(), size(x.size())));
        at.changed().forEach(x -> out().printf("M attachment %s/%s %s: %s%n", x.itemId(), x.attachmentId(), x.fileName(),
                String.join(", ", x.fields())));
        if (same) {
            out().println("no differences");
            return;
        }
        out().printf("items: %s; folders: %s; collections: %s; attachments: %d added, %d removed, %d changed%n",
                counts(r.items()), counts(r.folders()), counts(r.collections()), at.added().size(), at.removed().size(), at.changed().size());
    }

    private void printSection(String kind, Section section) {
        section.added().forEach(e -> out().printf("+ %s %s %s%n", kind, e.id(), quoted(e.name())));
        section.removed().forEach(e -> out().printf("- %s %s %s%n", kind, e.id(), quoted(e.name())));
        for (SnapshotDiff.Changed c : section.changed()) {
            out().printf("M %s %s %s: %s%n", kind, c.id(), quoted(c.name()), String.join(", ", c.fields()));
            c.values().forEach(v -> out().printf("    %s: %s -> %s%n", v.field(), v.before(), v.after()));
        }
    }

    private static String counts(Section s) {
        return s.added().size() + " added, " + s.removed().size() + " removed, " + s.changed().size() + " changed";
    }

    private static String quoted(String name) {
        return name == null ? "(no name)" : "\"" + name + "\"";
    }

    private static String size(Long bytes) {
        return bytes == null ? "size unknown" : bytes(bytes);
    }
}
