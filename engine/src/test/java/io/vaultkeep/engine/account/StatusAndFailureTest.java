package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.source.VaultSourceException;
import io.vaultkeep.engine.account.AccountEvent.RunFailed;
import io.vaultkeep.engine.account.AccountEvent.RunPlanned;
import io.vaultkeep.protocol.repository.SnapshotStats;
import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.repository.DamagedIndexException;
import io.vaultkeep.storage.repository.PasswordModeException;
import io.vaultkeep.storage.store.LocationFullException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StatusAndFailureTest {

    private static final Instant T = Instant.parse("2026-06-01T10:00:00Z");
    private static final StatusView.Activity NOTHING = new StatusView.Activity(false, false, false);

    private static AccountState failedWith(FailureKind kind) {
        AccountState state = AccountState.EMPTY.apply(AccountState.EMPTY.recordChange("r", false, T).orElseThrow());
        // a run failing before its plan is journaled by its failure alone
        return state.apply(new RunFailed("run-1", RunStage.STARTED, kind, "why", T, T.plusSeconds(30)));
    }

    @Test
    void thePhaseSaysWhatTheAccountIsDoing() {
        assertEquals(AccountPhase.IDLE, StatusView.phase(AccountState.EMPTY, NOTHING));
        assertEquals(AccountPhase.DEBOUNCING, StatusView.phase(AccountState.EMPTY, new StatusView.Activity(true, false, false)));
        assertEquals(AccountPhase.QUEUED, StatusView.phase(AccountState.EMPTY, new StatusView.Activity(true, true, false)));
        assertEquals(AccountPhase.RUNNING, StatusView.phase(failedWith(FailureKind.LOCATION_FULL), new StatusView.Activity(false, false, true)));
        assertEquals(AccountPhase.BACKING_OFF, StatusView.phase(failedWith(FailureKind.LOCATION_UNAVAILABLE), NOTHING));
        assertEquals(AccountPhase.BACKING_OFF, StatusView.phase(failedWith(FailureKind.SOURCE_UNAVAILABLE), new StatusView.Activity(true, false, false)));
        assertEquals(AccountPhase.FAILED, StatusView.phase(failedWith(FailureKind.WRONG_PASSWORD), NOTHING));
        assertEquals(AccountPhase.FAILED, StatusView.phase(failedWith(FailureKind.LOCATION_FULL), NOTHING));
        assertEquals(AccountPhase.DAMAGED, StatusView.phase(failedWith(FailureKind.REPOSITORY_DAMAGED), NOTHING));
        assertEquals("damaged", io.vaultkeep.engine.host.AccountActivity.DAMAGED.wireName());
    }

    @Test
    void theStatusShowsTheRunInFlightAndTheFailure() {
        AccountState state = AccountState.EMPTY.apply(AccountState.EMPTY.recordChange("r", false, T).orElseThrow());
        state = state.apply(RunPlanned.of(state.startRun("run-1", T), "s", "snapshots/s.zip", List.of(), SnapshotStats.EMPTY));
        AccountEntityStatus running = StatusView.of("a", state, new StatusView.Activity(false, false, true));
        assertEquals(new AccountEntityStatus("a", AccountPhase.RUNNING, null, null, null, 0, null, "run-1", RunStage.PLANNED, T, List.of(), null), running);

        AccountEntityStatus failed = StatusView.of("a", failedWith(FailureKind.LOCATION_UNAVAILABLE), NOTHING);
        assertEquals("why", failed.lastError());
        assertEquals(1, failed.consecutiveFailures());
        assertEquals(T.plusSeconds(30), failed.nextRetryAt());
        assertEquals(null, failed.inFlightRunId());
        assertEquals(FailureKind.LOCATION_UNAVAILABLE, failed.lastErrorKind());
        assertEquals(null, running.lastErrorKind(), "no failure, no kind");
    }

    @Test
    void aRefusingSourceNeedsAttentionAndTheAccountShowsFailed() {
        assertEquals(FailureKind.SOURCE_REFUSED,
                FailureClassifier.ofSource(new VaultSourceException("the API key was refused", true, null)).kind());
        assertEquals(FailureKind.SOURCE_UNAVAILABLE, FailureClassifier.ofSource(new VaultSourceException("no export yet")).kind());
        assertEquals(FailureKind.SOURCE_UNAVAILABLE, FailureClassifier.ofSource(new IOException("connection refused")).kind());
        assertEquals(AccountPhase.FAILED, StatusView.phase(failedWith(FailureKind.SOURCE_REFUSED), NOTHING));
    }

    @Test
    void newSettingsRetryAFailingAccountAtOnceAndLeaveAHealthyOneAlone() {
        BackoffPolicy backoff = new BackoffPolicy(java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(30), 0,
                java.time.Duration.ofHours(1));
        AccountState failing = failedWith(FailureKind.WRONG_PASSWORD);
        Account.Decision retried = new Account("a", failing, Account.Activity.IDLE, 0, backoff, new Account.Moment(T, 0.5, "x")).onReload(true);
        assertEquals(1, retried.events().size(), retried.toString());
        AccountEvent.ChangeRecorded change = (AccountEvent.ChangeRecorded) retried.events().get(0);
        assertTrue(change.backupNow(), "the backoff wait ends");
        assertTrue(retried.actions().contains(new Account.AcquirePermit()), retried.actions().toString());
        assertEquals(List.of(new Account.ReplaceChildren()), retried.actions().subList(0, 1), "the new settings first");

        AccountState healthy = AccountState.EMPTY;
        Account.Decision quiet = new Account("a", healthy, Account.Activity.IDLE, 0, backoff, new Account.Moment(T, 0.5, "x")).onReload(true);
        assertEquals(List.of(), quiet.events(), "nothing to retry");
    }

    @Test
    void failuresAreClassifiedByWhatAnOperatorDoesAboutThem() {
        assertEquals(FailureKind.LOCATION_FULL, FailureClassifier.classify(new LocationFullException("folder /x", new IOException())).kind());
        assertEquals(FailureKind.WRONG_PASSWORD, FailureClassifier.classify(new WrongPasswordException("wrong backup password")).kind());
        assertEquals(FailureKind.WRONG_PASSWORD, FailureClassifier.classify(new PasswordModeException("password mode cannot be changed")).kind());
        assertEquals(FailureKind.REPOSITORY_UNUSABLE, FailureClassifier.classify(new CorruptArchiveException("bad zip")).kind());
        assertEquals(FailureKind.REPOSITORY_DAMAGED, FailureClassifier.classify(new DamagedIndexException("index generation 2 …")).kind());
        assertTrue(FailureKind.REPOSITORY_DAMAGED.needsAttention());
        assertEquals(FailureKind.SOURCE_UNAVAILABLE, FailureClassifier.classify(new VaultSourceException("no export")).kind());
        assertEquals(FailureKind.LOCATION_UNAVAILABLE, FailureClassifier.classify(new IOException("connection refused")).kind());
        assertEquals(FailureKind.INTERNAL, FailureClassifier.classify(new IllegalStateException("bug")).kind());
        assertEquals(FailureKind.SOURCE_UNAVAILABLE, FailureClassifier.ofSource(new IOException("disk")).kind());

        var unwrapped = FailureClassifier.classify(new CompletionException(new LocationFullException("folder /x", new IOException())));
        assertEquals(FailureKind.LOCATION_FULL, unwrapped.kind());
        assertEquals("location full: folder /x", unwrapped.message());
        assertEquals("IllegalStateException: bug", FailureClassifier.classify(new IllegalStateException("bug")).message());
        assertTrue(FailureClassifier.classify(new IOException("x".repeat(2000))).message().length() <= 500);
    }
}
