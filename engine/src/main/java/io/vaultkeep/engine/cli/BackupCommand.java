package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.source.ExportDecoder;
import io.vaultkeep.engine.source.ExportFileVault;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.BackupSource;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.store.ObjectStore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", description = {
        "Write one snapshot from a Bitwarden export (bw export --format json, or encrypted_json) and its",
        "attachments. Creates the repository first when the location has none."})
final class BackupCommand extends RepositoryCommand {

    @Option(names = "--from", required = true, paramLabel = "FILE",
            description = "The Bitwarden export: json, or encrypted_json (password-protected or account-restricted).")
    Path from;

    @picocli.CommandLine.Mixin
    ExportSecretsOptions exportSecrets;

    @Option(names = "--attachments", paramLabel = "DIR",
            description = "Attachment files, laid out <itemId>/<fileName> (as in bw export --format zip).")
    Path attachments;

    @Option(names = "--account", paramLabel = "ID", defaultValue = "default",
            description = "The account the vault belongs to; part of each attachment's fingerprint (default: ${DEFAULT-VALUE}).")
    String account;

    @Option(names = "--no-attachments", description = "Store the vault only; attachments are neither stored nor counted.")
    boolean noAttachments;

    @Option(names = "--keep", paramLabel = "N",
            description = "After the snapshot, apply retention keeping at most N snapshots (0: never prune).")
    Integer keep;

    @Override
    public Integer call() throws Exception {
        byte[] plainJson = ExportDecoder.toPlainJson(ExportFileVault.readFile(from), from, exportSecrets);
        BackupSource source = ExportFileVault.fromJson(plainJson, from, attachments, account, !noAttachments);
        try (ObjectStore store = location.open();
             BackupRepository repository = password.openOrCreate(store)) {
            BackupRun.Committed run = repository.backup(source);
            var s = run.stats();
            out().printf("snapshot %s committed (index generation %d): %d items, %d attachments (%d new blobs, %d reused, %d skipped)%n",
                    run.snapshotId(), run.generation(), s.cipherCount(), s.attachmentCount(), s.newBlobCount(),
                    s.reusedBlobCount(), s.skippedAttachmentCount());
            if (keep != null) {
                PrunePlan plan = repository.planPrune(keep, repository.now());
                var result = repository.prune(plan);
                out().printf("retention %d: kept %d snapshots, dropped %d (%d blobs deleted)%n", keep,
                        plan.keptSnapshotIds().size(), plan.droppedSnapshotIds().size(), result.deletedBlobs());
            }
        }
        return 0;
    }
}
