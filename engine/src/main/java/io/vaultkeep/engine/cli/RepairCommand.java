package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.RepositoryRepair;
import io.vaultkeep.storage.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "repair", header = "Write a new index generation from what is still readable when the newest index is damaged.", description = {
        "Writes a new index generation from what is still readable:",
        "the newest readable index, less what no longer opens, plus (in a plain repository) every",
        "snapshot and blob on disk that no index lists. Says what could not be recovered (exit code 3)."})
final class RepairCommand extends RepositoryCommand {

    @picocli.CommandLine.Mixin
    LockWaitOption lockWait;

    @Option(names = "--dry-run", description = "Show what would be recovered and lost; write nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print what was (or would be) recovered and lost as JSON (see README for its shape).")
    boolean json;

    /** The {@code --json} document; {@code indexKey} is null unless an index was written. */
    record Report(boolean needed, boolean dryRun, String indexKey, long generation, int snapshots, int blobs,
                  java.util.List<String> recovered, java.util.List<String> lost) {}

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open(); BackupRepository repository = password.open(store);
             WriterLock.Holding lock = dryRun ? null : lockFor(repository, "repair", lockWait)) {
            RepositoryRepair.Report report = repository.repair(dryRun);
            int exit = report.lost().isEmpty() ? 0 : VaultKeepCli.EXIT_PROBLEMS_FOUND;
            if (json) {
                printJson(new Report(report.needed(), dryRun, dryRun || !report.needed() ? null : report.indexKey(),
                        report.generation(), report.snapshots(), report.blobs(), report.recovered(), report.lost()));
                return exit;
            }
            report.recovered().forEach(r -> out().println((dryRun ? "would recover " : "recovered ") + r));
            report.lost().forEach(l -> out().println("lost " + l));
            if (!report.needed()) {
                out().println("nothing to repair: every index reads and every object it lists opens");
            } else if (dryRun) {
                out().printf("would write index generation %d: %s, %s%n", report.generation(),
                        Counted.of(report.snapshots(), "snapshot"), Counted.of(report.blobs(), "blob"));
            } else {
                out().printf("wrote %s (generation %d): %s, %s%n", report.indexKey(), report.generation(),
                        Counted.of(report.snapshots(), "snapshot"), Counted.of(report.blobs(), "blob"));
            }
            return exit;
        }
    }
}
