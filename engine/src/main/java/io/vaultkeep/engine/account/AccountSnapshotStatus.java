package io.vaultkeep.engine.account;

import java.time.Instant;
import java.util.List;

/**
 * One account's backup status: the reply to {@link AccountCommand.GetStatus}, which may be asked
 * across nodes.
 *
 * @param state what the account is doing now
 * @param lastError the message of the newest failure since the last success (never a secret), or null
 * @param nextRetryAt when a failed account tries again, or null
 * @param inFlightRunId the run the journal records as in flight, or null (with its stage and start)
 * @param lastSnapshotWarnings what the source left out of the last snapshot (never vault content)
 * @param lastCheckedAt when a run last found the vault backed up (a commit, or unchanged), or null
 * @param node the cluster node the account's entity runs on ({@code host:port}), or null when not told
 */
public record AccountSnapshotStatus(
        String accountId,
        AccountPhase state,
        String lastSnapshotId,
        Instant lastSnapshotAt,
        String lastError,
        int consecutiveFailures,
        Instant nextRetryAt,
        String inFlightRunId,
        RunStage inFlightStage,
        Instant inFlightStartedAt,
        List<String> lastSnapshotWarnings,
        Instant lastCheckedAt,
        String node) implements ClusterSerializable {

    public AccountSnapshotStatus {
        lastSnapshotWarnings = lastSnapshotWarnings == null ? List.of() : List.copyOf(lastSnapshotWarnings);
    }

    /** A status that does not say where the entity runs. */
    public AccountSnapshotStatus(String accountId, AccountPhase state, String lastSnapshotId, Instant lastSnapshotAt,
                                 String lastError, int consecutiveFailures, Instant nextRetryAt, String inFlightRunId,
                                 RunStage inFlightStage, Instant inFlightStartedAt, List<String> lastSnapshotWarnings,
                                 Instant lastCheckedAt) {
        this(accountId, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures, nextRetryAt, inFlightRunId,
                inFlightStage, inFlightStartedAt, lastSnapshotWarnings, lastCheckedAt, null);
    }

    /** The same status, told as answered by the entity on {@code node}. */
    public AccountSnapshotStatus onNode(String node) {
        return new AccountSnapshotStatus(accountId, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures,
                nextRetryAt, inFlightRunId, inFlightStage, inFlightStartedAt, lastSnapshotWarnings, lastCheckedAt, node);
    }
}
