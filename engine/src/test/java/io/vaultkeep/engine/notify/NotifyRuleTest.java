package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountEvent;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.engine.account.RunStage;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is told for a sequence of journal events: transitions, not every retry. */
class NotifyRuleTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
    private final NotifyRule rule = new NotifyRule(3);
    private NotifyState state = NotifyState.FRESH;
    private int seq;

    private List<NotifyEvent> apply(AccountEvent event) {
        NotifyRule.Decision decision = rule.decide("alice", "account|alice#" + (++seq), state, event);
        state = decision.state();
        return decision.notices().stream().map(Notice::event).toList();
    }

    private static AccountEvent.RunFailed failed(String run, FailureKind kind) {
        return new AccountEvent.RunFailed(run, RunStage.STARTED, kind, "it broke: " + kind, T, T.plusSeconds(60));
    }

    private static AccountEvent.IndexCommitted committed(String run) {
        return new AccountEvent.IndexCommitted(run, "snap-" + run, 1, T, false, List.of());
    }

    @Test
    void aRetriedFailureIsToldOnceThenNeedsAttentionAfterTheThresholdThenRecovered() {
        assertEquals(List.of(NotifyEvent.RUN_FAILED), apply(failed("r1", FailureKind.SOURCE_UNAVAILABLE)));
        assertEquals(List.of(), apply(failed("r2", FailureKind.SOURCE_UNAVAILABLE)));
        assertEquals(List.of(NotifyEvent.NEEDS_ATTENTION), apply(failed("r3", FailureKind.SOURCE_UNAVAILABLE)));
        assertEquals(List.of(), apply(failed("r4", FailureKind.SOURCE_UNAVAILABLE)));
        assertEquals(4, state.failures());
        assertEquals(List.of(NotifyEvent.RECOVERED, NotifyEvent.SUCCESS), apply(committed("r5")));
        assertEquals(NotifyState.FRESH, state);
        assertEquals(List.of(NotifyEvent.SUCCESS), apply(committed("r6")));
    }

    @Test
    void aFailureThatWillNotHealNeedsAttentionAtOnce() {
        assertEquals(List.of(NotifyEvent.RUN_FAILED, NotifyEvent.NEEDS_ATTENTION), apply(failed("r1", FailureKind.WRONG_PASSWORD)));
        assertTrue(state.attention());
        assertEquals(List.of(), apply(failed("r2", FailureKind.WRONG_PASSWORD)));
    }

    @Test
    void locationFullAndDamageAreToldWhenTheyFirstAppear() {
        assertEquals(List.of(NotifyEvent.RUN_FAILED), apply(failed("r1", FailureKind.LOCATION_UNAVAILABLE)));
        assertEquals(List.of(NotifyEvent.LOCATION_FULL, NotifyEvent.NEEDS_ATTENTION), apply(failed("r2", FailureKind.LOCATION_FULL)));
        assertEquals(List.of(), apply(failed("r3", FailureKind.LOCATION_FULL)));
        assertEquals(List.of(NotifyEvent.REPOSITORY_DAMAGED), apply(failed("r4", FailureKind.REPOSITORY_DAMAGED)));
    }

    @Test
    void aCommitCarriesItsPlansCountsAndSnapshot() {
        SnapshotStats stats = new SnapshotStats(12, 3, 0, 5, 7);
        NotifyRule.Decision planned = rule.decide("alice", "account|alice#1", state,
                new AccountEvent.RunPlanned("r1", "snap-r1", "k", List.of("b1"), stats, 1L, "rev", T));
        assertEquals(List.of(NotifyEvent.RUN_STARTED), planned.notices().stream().map(Notice::event).toList());
        NotifyRule.Decision done = rule.decide("alice", "account|alice#2", planned.state(), committed("r1"));
        Notice success = done.notices().get(0);
        assertEquals(NotifyEvent.SUCCESS, success.event());
        assertEquals("snap-r1", success.snapshotId());
        assertEquals(new Notice.Counts(12, 3, 5, 7), success.counts());
        assertEquals("account|alice#2/success", success.id());
        assertNull(success.error());
    }

    @Test
    void anUnchangedRunIsASuccessAndAPruneAfterFailuresARecovery() {
        apply(failed("r1", FailureKind.LOCATION_UNAVAILABLE));
        assertEquals(List.of(NotifyEvent.RECOVERED, NotifyEvent.SUCCESS),
                apply(new AccountEvent.RunUnchanged("r2", "snap-1", T, List.of(), 2L)));
        apply(new AccountEvent.PruneFailed(null, FailureKind.LOCATION_UNAVAILABLE, "down", T, T));
        assertEquals(List.of(NotifyEvent.RECOVERED), apply(new AccountEvent.PruneCompleted("p1", "idx", 1, 2, T)));
        assertEquals(List.of(), apply(new AccountEvent.PruneCompleted("p2", "idx", 1, 2, T)));
    }

    @Test
    void eventsThatTellNothingLeaveTheStateAlone() {
        List<AccountEvent> quiet = new ArrayList<>(List.of(new AccountEvent.ChangeRecorded(1, "rev", false, T),
                new AccountEvent.RunRolledBack("r1", 3, T), new AccountEvent.RetentionChecked(T)));
        for (AccountEvent event : quiet) {
            assertEquals(List.of(), apply(event), event.toString());
        }
        assertEquals(NotifyState.FRESH, state);
    }

    @Test
    void aFailureNoticeCarriesKindAndMessage() {
        NotifyRule.Decision decision = rule.decide("alice", "account|alice#9", state, failed("r1", FailureKind.LOCATION_UNAVAILABLE));
        Notice notice = decision.notices().get(0);
        assertEquals("LOCATION_UNAVAILABLE", notice.failure());
        assertEquals("it broke: LOCATION_UNAVAILABLE", notice.error());
        assertEquals("r1", notice.runId());
        assertEquals("account alice: backup failed: it broke: LOCATION_UNAVAILABLE", notice.summary());
    }
}
