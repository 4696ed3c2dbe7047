package io.vaultkeep.engine.cli;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.ObjectStore;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", description = {
        "Restore a snapshot into a new or empty folder: vault.json exactly as stored, plus",
        "attachments/<attachmentId>/<fileName>. With --zip, one file in the layout of",
        "bw export --format zip (data.json plus attachments/<itemId>/<fileName>)."})
final class RestoreCommand extends RepositoryCommand {

    @Option(names = "--snapshot", paramLabel = "ID", defaultValue = "latest",
            description = "The snapshot id, or 'latest' (default).")
    String snapshot;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write (created private to you).")
    Path outDir;

    @Option(names = "--zip", description = "Write a bw-export-style zip into DIR instead of loose files.")
    boolean zip;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open(); BackupRepository repository = password.open(store)) {
            IndexDocument catalogue = repository.readIndex().catalogue();
            Map.Entry<String, SnapshotEntry> chosen = SnapshotRestore.find(catalogue, snapshot);
            SnapshotRestore.Restored restored = zip
                    ? SnapshotRestore.toBitwardenZip(repository.objects(), catalogue, chosen.getKey(),
                            outDir.resolve("bitwarden_export_" + STAMP.format(chosen.getValue().createdAt()) + ".zip"))
                    : SnapshotRestore.toDirectory(repository.objects(), catalogue, chosen.getKey(), outDir);
            out().printf("restored snapshot %s to %s (%d attachments)%n", restored.snapshotId(), restored.output(), restored.attachments());
        }
        return 0;
    }
}
