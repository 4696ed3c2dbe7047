package io.vaultkeep.engine.account;


/** An account's status from its journaled state and what its entity is doing right now. */
public final class StatusView {

    private StatusView() {}

    /** What the entity knows that the journal does not. */
    public record Activity(boolean debouncing, boolean queued, boolean working) {}

    public static AccountEntityStatus of(String accountId, AccountState state, Activity activity) {
        return of(accountId, state, phase(state, activity));
    }

    /** An entity whose node has no settings for its account: what the journal knows, and that it waits. */
    public static AccountEntityStatus waitingForSettings(String accountId, AccountState state) {
        return of(accountId, state, AccountPhase.WAITING_FOR_SETTINGS);
    }

    private static AccountEntityStatus of(String accountId, AccountState state, AccountPhase phase) {
        AccountState.RunInFlight run = state.runInFlight();
        return new AccountEntityStatus(accountId, phase, state.lastSnapshotId(),
                state.lastSnapshotAt(), state.lastError(), state.consecutiveFailures(), state.nextRetryAt(),
                run == null ? null : run.runId(), run == null ? null : run.stage(), run == null ? null : run.startedAt(),
                state.lastSnapshotWarnings(), state.lastCheckedAt(), state.consecutiveFailures() > 0 ? state.lastErrorKind() : null);
    }

    static AccountPhase phase(AccountState state, Activity activity) {
        if (activity.working()) {
            return AccountPhase.RUNNING;
        }
        if (activity.queued()) {
            return AccountPhase.QUEUED;
        }
        if (state.consecutiveFailures() > 0) {
            FailureKind kind = state.lastErrorKind();
            if (kind == FailureKind.REPOSITORY_DAMAGED) {
                return AccountPhase.DAMAGED;
            }
            return kind != null && kind.needsAttention() ? AccountPhase.FAILED : AccountPhase.BACKING_OFF;
        }
        if (activity.debouncing()) {
            return AccountPhase.DEBOUNCING;
        }
        return AccountPhase.IDLE;
    }
}
