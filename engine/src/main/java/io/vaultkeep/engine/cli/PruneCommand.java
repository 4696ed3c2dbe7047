package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.RepositoryPrune;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.store.ObjectStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", header = "Apply Keyguard's retention rule, keeping at most N snapshots.", description = {
        "The snapshots kept are spread over the last 31 days: the newest, one per week, one per day,",
        "then the newest of the rest."})
final class PruneCommand extends RepositoryCommand {

    @picocli.CommandLine.Mixin
    LockWaitOption lockWait;

    @Option(names = "--keep", required = true, paramLabel = "N", description = "The most snapshots to keep (0 or less: never prune; capped at 365).")
    int keep;

    @Option(names = "--dry-run", description = "Show what would be dropped; change nothing.")
    boolean dryRun;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Evaluate the rule as of this time (ISO instant like 2026-12-01T00:00:00Z, or a date, UTC midnight).")
    String at;

    @Option(names = "--json", description = "Print {\"kept\": [ids], \"dropped\": [ids]}.")
    boolean json;

    @Option(names = "--compact-indexes", paramLabel = "K",
            description = "Afterwards delete index generations older than the newest K (Keyguard keeps them all; off by default).")
    Integer compactIndexes;

    @Override
    public Integer call() throws Exception {
        Instant when = parseInstant(at);
        try (ObjectStore store = location.open(); BackupRepository repository = password.open(store);
             WriterLock.Holding lock = dryRun ? null : lockFor(repository, "prune", lockWait)) {
            PrunePlan plan = repository.planPrune(keep, when == null ? repository.now() : when);
            RepositoryPrune.Result result = dryRun ? null : repository.prune(plan);
            List<String> compacted = !dryRun && compactIndexes != null
                    ? repository.compactIndexes(compactIndexes) : List.of();
            if (json) {
                printJson(Map.of("kept", plan.keptSnapshotIds(), "dropped", plan.droppedSnapshotIds()));
                return 0;
            }
            plan.droppedSnapshotIds().forEach(id -> out().println((dryRun ? "would drop " : "dropped ") + id));
            out().printf("%s %s, %s %d (%s)%n", dryRun ? "would keep" : "kept",
                    Counted.of(plan.keptSnapshotIds().size(), "snapshot"), dryRun ? "would drop" : "dropped", plan.droppedSnapshotIds().size(),
                    Counted.of(plan.droppedBlobIds().size(), "unreferenced blob"));
            if (!compacted.isEmpty()) {
                out().printf("deleted %s%n", Counted.of(compacted.size(), "superseded index object"));
            }
            if (result != null) {
                result.refusedKeys().forEach(key -> warn(
                        "left " + key + " in place: the index named it, but it is not an object of the kind prune deletes"));
            }
            if (result != null && result.indexKey() != null) {
                out().println("new index " + result.indexKey());
            }
        }
        return 0;
    }

    static Instant parseInstant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException("--at: '" + text + "' is neither an ISO instant (2026-12-01T00:00:00Z) nor a date (2026-12-01)");
            }
        }
    }
}
