package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.OrderedReads;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.store.ObjectStore;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", header = "Verify the repository: every index opens and every object it references exists.", description = {
        "With --read-data every object is also read whole and verified.",
        "Exit code 3 when anything is missing, corrupt or orphaned."})
final class CheckCommand extends RepositoryCommand {

    @Option(names = "--read-data", description = "Also read every snapshot and blob whole and verify its ZIP (CRC / AES HMAC).")
    boolean readData;

    @Option(names = "--json", description = "Print the findings as JSON (see README for its shape).")
    boolean json;

    /** The {@code --json} document; {@code kind} is missing, corrupt, orphaned or inconsistent. */
    record Report(boolean ok, boolean readData, int indexesRead, int snapshotsChecked, int blobsChecked,
                  List<Problem> problems, List<String> notes) {}

    record Problem(String kind, String path, String detail) {}

    @picocli.CommandLine.Mixin
    ProgressOptions progressOptions;

    @Option(names = "--readers", paramLabel = "N",
            description = "How many snapshots and blobs are read at once (default: 4 from a WebDAV server; from a folder, "
                    + "as many as the processors, 2 to 4; 1 reads one after another).")
    Integer readers;

    @Override
    public Integer call() throws Exception {
        if (readers == null) {
            readers = OrderedReads.defaultReaders(location.isFolder(), Runtime.getRuntime().availableProcessors());
        }
        if (readers < 1) {
            throw new UsageError("--readers must be at least 1");
        }
        // only --read-data reads whole objects: long work worth a progress line
        Progress progress = readData ? progressOptions.start("check", json) : Progress.off();
        try (ObjectStore store = ProgressStore.watching(location.open(), progress, ProgressStore::snapshotOrBlob)) {
            ProgressStore.expectEverySnapshotAndBlob(store, progress);
            try {
                return check(store, progress);
            } finally {
                progress.finish();
            }
        }
    }

    private int check(ObjectStore store, Progress progress) throws Exception {
        BackupRepository repository;
        try {
            repository = password.open(store);
        } catch (CorruptArchiveException e) {
            if (json) {
                printJson(new Report(false, readData, 0, 0, 0,
                        List.of(new Problem("corrupt", RepositoryPaths.REPO, e.getMessage())), List.of()));
                return VaultKeepCli.EXIT_PROBLEMS_FOUND;
            }
            out().println("corrupt " + RepositoryPaths.REPO + ": " + e.getMessage());
            out().println("1 problem found");
            return VaultKeepCli.EXIT_PROBLEMS_FOUND;
        }
        try (repository) {
            CheckReport report = RepositoryCheck.run(repository, readData, readers);
            progress.finish();
            if (json) {
                printJson(new Report(report.ok(), readData, report.indexesRead(), report.snapshotsChecked(), report.blobsChecked(),
                        report.problems().stream()
                                .map(p -> new Problem(p.kind().name().toLowerCase(java.util.Locale.ROOT), p.path(), p.detail()))
                                .toList(),
                        report.notes()));
                return report.ok() ? 0 : VaultKeepCli.EXIT_PROBLEMS_FOUND;
            }
            report.notes().forEach(n -> out().println("note: " + n));
            report.problems().forEach(p -> out().println(p));
            if (report.ok()) {
                out().printf("ok: %s, %s, %s%s%n", Counted.of(report.indexesRead(), "index", "indexes"),
                        Counted.of(report.snapshotsChecked(), "snapshot"), Counted.of(report.blobsChecked(), "blob"),
                        readData ? ", all data read and verified" : "");
                return 0;
            }
            out().printf("%s found%n", Counted.of(report.problems().size(), "problem"));
            return VaultKeepCli.EXIT_PROBLEMS_FOUND;
        }
    }
}
