package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = {
        "Verify the repository: every index opens and every object it references exists.",
        "Exit code 3 when anything is missing, corrupt or orphaned."})
final class CheckCommand extends RepositoryCommand {

    @Option(names = "--read-data", description = "Also read every snapshot and blob whole and verify its ZIP (CRC / AES HMAC).")
    boolean readData;

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open()) {
            BackupRepository repository;
            try {
                repository = password.open(store);
            } catch (CorruptArchiveException e) {
                out().println("corrupt " + RepositoryPaths.REPO + ": " + e.getMessage());
                out().println("1 problem found");
                return VaultKeepCli.EXIT_PROBLEMS_FOUND;
            }
            try (repository) {
                CheckReport report = RepositoryCheck.run(repository, readData);
                report.notes().forEach(n -> out().println("note: " + n));
                report.problems().forEach(p -> out().println(p));
                if (report.ok()) {
                    out().printf("ok: %d indexes, %d snapshots, %d blobs%s%n", report.indexesRead(), report.snapshotsChecked(),
                            report.blobsChecked(), readData ? ", all data read and verified" : "");
                    return 0;
                }
                out().printf("%d problem%s found%n", report.problems().size(), report.problems().size() == 1 ? "" : "s");
                return VaultKeepCli.EXIT_PROBLEMS_FOUND;
            }
        }
    }
}
