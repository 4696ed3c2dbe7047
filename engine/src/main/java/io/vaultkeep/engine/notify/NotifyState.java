package io.vaultkeep.engine.notify;

import io.vaultkeep.protocol.repository.SnapshotStats;

/**
 * What the notifier remembers of one account between journal events, so that it tells transitions
 * and not every retry. Stored with the journal offset ({@link NotifyOffsets}), except the planned
 * run's counts, which only fill the commit's notice.
 *
 * @param failures  failed runs (and prunes) since the last success
 * @param attention needs-attention was sent and no success came since
 * @param lastKind  the last failure's kind (a name: kinds may be added or renamed); null after a success
 * @param plannedRunId the run whose plan was seen last, and its counts
 */
public record NotifyState(int failures, boolean attention, String lastKind, String plannedRunId, SnapshotStats plannedStats) {

    public static final NotifyState FRESH = new NotifyState(0, false, null, null, null);

    /** As stored: without the planned run's counts. */
    public static NotifyState stored(int failures, boolean attention, String lastKind) {
        return new NotifyState(failures, attention, lastKind, null, null);
    }

    NotifyState withPlan(String runId, SnapshotStats stats) {
        return new NotifyState(failures, attention, lastKind, runId, stats);
    }

    NotifyState failed(String kind, boolean attentionNow) {
        return new NotifyState(failures + 1, attention || attentionNow, kind, plannedRunId, plannedStats);
    }

    NotifyState succeeded() {
        return FRESH;
    }
}
