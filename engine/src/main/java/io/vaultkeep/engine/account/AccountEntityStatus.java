package io.vaultkeep.engine.account;

import java.time.Instant;
import java.util.List;

/**
 * What an account's entity says of itself when asked ({@link AccountCommand.GetStatus}, possibly
 * from another node): its phase, its last snapshot and check, its failures, the run in flight.
 *
 * @param state what the account is doing now
 * @param lastError the message of the newest failure since the last success (never a secret), or null
 * @param nextRetryAt when a failed account tries again, or null
 * @param inFlightRunId the run the journal records as in flight, or null (with its stage and start)
 * @param lastSnapshotWarnings what the source left out of the last snapshot (never vault content)
 * @param lastCheckedAt when a run last found the vault backed up (a commit, or unchanged), or null
 * @param lastErrorKind the kind of the newest failure since the last success, or null (and from a node
 *     from before kinds were shown)
 * @param node the cluster node the account's entity runs on ({@code host:port}), or null when not told
 */
public record AccountEntityStatus(
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
        FailureKind lastErrorKind,
        String node) implements ClusterSerializable {

    public AccountEntityStatus {
        lastSnapshotWarnings = lastSnapshotWarnings == null ? List.of() : List.copyOf(lastSnapshotWarnings);
    }

    /** A status without a failure kind. */
    public AccountEntityStatus(String accountId, AccountPhase state, String lastSnapshotId, Instant lastSnapshotAt,
                                 String lastError, int consecutiveFailures, Instant nextRetryAt, String inFlightRunId,
                                 RunStage inFlightStage, Instant inFlightStartedAt, List<String> lastSnapshotWarnings,
                                 Instant lastCheckedAt) {
        this(accountId, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures, nextRetryAt, inFlightRunId,
                inFlightStage, inFlightStartedAt, lastSnapshotWarnings, lastCheckedAt, null, null);
    }

    /** A status that does not say where the entity runs. */
    public AccountEntityStatus(String accountId, AccountPhase state, String lastSnapshotId, Instant lastSnapshotAt,
                               String lastError, int consecutiveFailures, Instant nextRetryAt, String inFlightRunId,
                               RunStage inFlightStage, Instant inFlightStartedAt, List<String> lastSnapshotWarnings,
                               Instant lastCheckedAt, FailureKind lastErrorKind) {
        this(accountId, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures, nextRetryAt, inFlightRunId,
                inFlightStage, inFlightStartedAt, lastSnapshotWarnings, lastCheckedAt, lastErrorKind, null);
    }

    /** The same status, told as answered by the entity on {@code node}. */
    public AccountEntityStatus onNode(String node) {
        return new AccountEntityStatus(accountId, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures,
                nextRetryAt, inFlightRunId, inFlightStage, inFlightStartedAt, lastSnapshotWarnings, lastCheckedAt,
                lastErrorKind, node);
    }
}
