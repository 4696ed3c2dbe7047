package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyEvent;
import io.vaultkeep.engine.account.AccountEvent;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides, from one journal event and what came before, what to tell: the first failure after a
 * success (not every retry), needs-attention once (a failure retrying will not fix, or
 * {@code attentionAfter} failures in a row), location-full and repository-damaged when the kind
 * first appears, recovered at the first success after failures, and every start and success (sent
 * only to targets that ask for them). Pure: the notifier stores the state it returns.
 */
public final class NotifyRule {

    /**
     * Failure kinds that do not heal by retrying, by name: those of {@link FailureKind#needsAttention()}
     * and refused source credentials, which another part of the engine may name so.
     */
    private static final Set<String> REFUSED_SOURCE = Set.of("SOURCE_REFUSED");

    private final int attentionAfter;

    /** @param attentionAfter failures in a row after which any failure needs attention (at least 1) */
    public NotifyRule(int attentionAfter) {
        if (attentionAfter < 1) {
            throw new IllegalArgumentException("attentionAfter must be at least 1, not " + attentionAfter);
        }
        this.attentionAfter = attentionAfter;
    }

    /** The state after {@code event} and the notices it causes, in the order to send them. */
    public record Decision(NotifyState state, List<Notice> notices) {
        public Decision {
            notices = List.copyOf(notices);
        }
    }

    /**
     * @param eventId  the journal event's identity (persistence id and sequence number), the base of
     *                 each notice's {@link Notice#id()}
     */
    public Decision decide(String accountId, String eventId, NotifyState state, AccountEvent event) {
        List<Notice> notices = new ArrayList<>();
        NotifyState next = state;
        if (event instanceof AccountEvent.RunPlanned p) {
            next = state.withPlan(p.runId(), p.stats());
            notices.add(notice(eventId, NotifyEvent.RUN_STARTED, accountId, p.startedAt(), p.runId(), p.snapshotId(),
                    counts(p.stats()), null, null));
        } else if (event instanceof AccountEvent.IndexCommitted c) {
            Notice.Counts counts = c.runId().equals(state.plannedRunId()) ? counts(state.plannedStats()) : null;
            next = succeed(accountId, eventId, state, c.snapshotCreatedAt(), c.runId(), c.snapshotId(), counts, notices);
        } else if (event instanceof AccountEvent.RunUnchanged u) {
            next = succeed(accountId, eventId, state, u.at(), u.runId(), u.snapshotId(), null, notices);
        } else if (event instanceof AccountEvent.PruneCompleted p && state.failures() > 0) {
            // a prune clears the account's failures as a run's success does; it is not a backup's success
            notices.add(notice(eventId, NotifyEvent.RECOVERED, accountId, p.at(), null, null, null, null, null));
            next = state.succeeded();
        } else if (event instanceof AccountEvent.RunFailed f) {
            next = fail(accountId, eventId, state, f.failedAt(), f.runId(), f.kind(), f.message(), notices);
        } else if (event instanceof AccountEvent.PruneFailed f) {
            next = fail(accountId, eventId, state, f.failedAt(), null, f.kind(), f.message(), notices);
        }
        return new Decision(next, notices);
    }

    private static NotifyState succeed(String accountId, String eventId, NotifyState state, Instant at, String runId,
                                       String snapshotId, Notice.Counts counts, List<Notice> notices) {
        if (state.failures() > 0) {
            notices.add(notice(eventId, NotifyEvent.RECOVERED, accountId, at, runId, snapshotId, counts, null, null));
        }
        notices.add(notice(eventId, NotifyEvent.SUCCESS, accountId, at, runId, snapshotId, counts, null, null));
        return state.succeeded();
    }

    private NotifyState fail(String accountId, String eventId, NotifyState state, Instant at, String runId,
                             FailureKind kind, String message, List<Notice> notices) {
        String kindName = kind == null ? FailureKind.INTERNAL.name() : kind.name();
        boolean newKind = !kindName.equals(state.lastKind());
        if (state.failures() == 0) {
            notices.add(notice(eventId, NotifyEvent.RUN_FAILED, accountId, at, runId, null, null, kindName, message));
        }
        if (newKind && kind == FailureKind.LOCATION_FULL) {
            notices.add(notice(eventId, NotifyEvent.LOCATION_FULL, accountId, at, runId, null, null, kindName, message));
        }
        if (newKind && (kind == FailureKind.REPOSITORY_DAMAGED || kind == FailureKind.REPOSITORY_UNUSABLE)) {
            notices.add(notice(eventId, NotifyEvent.REPOSITORY_DAMAGED, accountId, at, runId, null, null, kindName, message));
        }
        boolean wontHeal = (kind != null && kind.needsAttention()) || REFUSED_SOURCE.contains(kindName);
        boolean attentionNow = !state.attention() && (wontHeal || state.failures() + 1 >= attentionAfter);
        if (attentionNow) {
            notices.add(notice(eventId, NotifyEvent.NEEDS_ATTENTION, accountId, at, runId, null, null, kindName, message));
        }
        return state.failed(kindName, attentionNow);
    }

    private static Notice notice(String eventId, NotifyEvent event, String accountId, Instant at, String runId,
                                 String snapshotId, Notice.Counts counts, String failure, String error) {
        return new Notice(eventId + "/" + event.key(), event, accountId, at, runId, snapshotId, counts, failure, error);
    }

    private static Notice.Counts counts(SnapshotStats stats) {
        return stats == null ? null : new Notice.Counts(stats.cipherCount(), stats.attachmentCount(), stats.newBlobCount(),
                stats.reusedBlobCount());
    }
}
