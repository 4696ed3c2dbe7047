package io.vaultkeep.engine.host;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One account's status as {@code GET /accounts} shows it. Everything but {@code id} and
 * {@code state} may be null: no snapshot yet, no error, nothing due, no run in flight.
 *
 * @param lastSnapshotId      the newest committed snapshot
 * @param lastError           what went wrong last, for a person to read; never a secret or vault
 *                            content (the provider must make sure), null after a success
 * @param consecutiveFailures failed runs since the last success
 * @param nextDueAt           when the next run starts (debounce or backoff), null when none is planned
 * @param inFlightRun         the run in progress, or null
 * @param warnings            what the source left out of the last snapshot, one line each (empty when nothing)
 * @param lastCheckedAt       when a run last found the vault backed up: a commit, or a run that found
 *                            it unchanged since the newest snapshot (which is then current)
 * @param failureKind         the newest failure's kind since the last success ({@code wrong-password},
 *                            {@code source-unavailable}, …), null when none
 * @param health              the account's health verdict ({@link HealthRule}): {@code ok}, {@code failing},
 *                            {@code needs-attention} or {@code stale}; null only from a host before health existed
 * @param healthReason        why the account is not ok, one line for a person (never a secret); null when ok
 * @param lastSourceCheckAt   when the source last got an answer from its origin (a Bitwarden poll), null
 *                            for sources that make no checks or before the first
 * @param node                the cluster node the account runs on ({@code host:port}); null from a
 *                            host that does not say
 */
public record AccountStatus(
        String id,
        AccountActivity state,
        String lastSnapshotId,
        Instant lastSnapshotAt,
        String lastError,
        int consecutiveFailures,
        Instant nextDueAt,
        InFlightRun inFlightRun,
        List<String> warnings,
        Instant lastCheckedAt,
        String failureKind,
        AccountHealth health,
        String healthReason,
        Instant lastSourceCheckAt,
        String node) {

    public AccountStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        warnings = warnings == null ? List.of() : List.copyOf(warnings); // a host from before warnings sends none
    }

    /** A status without health facts (tests, and statuses made outside a host). */
    public AccountStatus(String id, AccountActivity state, String lastSnapshotId, Instant lastSnapshotAt, String lastError,
                         int consecutiveFailures, Instant nextDueAt, InFlightRun inFlightRun, List<String> warnings,
                         Instant lastCheckedAt) {
        this(id, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures, nextDueAt, inFlightRun, warnings,
                lastCheckedAt, null, null, null, null, null);
    }

    /** A status that does not say where the account runs (a host alone). */
    public AccountStatus(String id, AccountActivity state, String lastSnapshotId, Instant lastSnapshotAt, String lastError,
                         int consecutiveFailures, Instant nextDueAt, InFlightRun inFlightRun, List<String> warnings,
                         Instant lastCheckedAt, String failureKind, AccountHealth health, String healthReason,
                         Instant lastSourceCheckAt) {
        this(id, state, lastSnapshotId, lastSnapshotAt, lastError, consecutiveFailures, nextDueAt, inFlightRun, warnings,
                lastCheckedAt, failureKind, health, healthReason, lastSourceCheckAt, null);
    }


    /** Whether the host counts this account healthy (a status without a verdict, from an older host, is). */
    public boolean healthy() {
        return health == null || health == AccountHealth.OK;
    }

    /** A run in progress: {@code stage} is the journal's name for the step it is in (e.g. "storing-blobs"). */
    public record InFlightRun(String runId, String stage, Instant startedAt) {}
}
