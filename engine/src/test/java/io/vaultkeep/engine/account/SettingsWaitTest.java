package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.SettingsWait.Phase;
import io.vaultkeep.engine.account.SettingsWait.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an account's entity does with each command while its node has no settings for it. */
class SettingsWaitTest {

    private static final SettingsWait.Limits LIMITS = new SettingsWait.Limits(Duration.ofMinutes(2), 2);

    private static final AccountCommand STATUS = new AccountCommand.GetStatus(null);

    @Test
    void anEntityWithItsSettingsHandlesEverythingAndIgnoresALateWaitTimer() {
        SettingsWait ready = SettingsWait.atStart(true, LIMITS);
        assertEquals(Verdict.HANDLE, ready.on(new AccountCommand.BackupNow(), true).verdict());
        assertEquals(Verdict.HANDLE, ready.on(new AccountCommand.Reload(), false).verdict(), "a removal is the account's to decide");
        assertEquals(Verdict.IGNORE, ready.on(new AccountCommand.SettingsWaitOver(), true).verdict());
    }

    @Test
    void aWaitingEntityAnswersStatusStashesRequestsAndTakesTheSettingsWhenARegistrationWakesIt() {
        SettingsWait waiting = SettingsWait.atStart(false, LIMITS);
        assertEquals(Phase.WAITING, waiting.phase());
        assertEquals(Verdict.ANSWER_STATUS, waiting.on(STATUS, false).verdict());

        SettingsWait.Next stashed = waiting.on(new AccountCommand.BackupNow(), false);
        assertEquals(Verdict.STASH, stashed.verdict());
        assertEquals(1, stashed.after().stashed());

        SettingsWait.Next stillUnknown = stashed.after().on(new AccountCommand.Wake(), false);
        assertEquals(Verdict.IGNORE, stillUnknown.verdict(), "a wake from a node that knows the account, while this one does not");
        assertEquals(Phase.WAITING, stillUnknown.after().phase());

        for (AccountCommand registration : new AccountCommand[] {new AccountCommand.Wake(), new AccountCommand.Reload()}) {
            SettingsWait.Next taken = stashed.after().on(registration, true);
            assertEquals(Verdict.TAKE_SETTINGS, taken.verdict());
            assertTrue(taken.after().ready());
            assertEquals(0, taken.after().stashed());
        }
    }

    @Test
    void theStashIsBoundedAndItsOverflowIsToldOnce() {
        SettingsWait wait = SettingsWait.atStart(false, LIMITS);
        for (int i = 0; i < 2; i++) {
            SettingsWait.Next next = wait.on(new AccountCommand.BackupNow(), false);
            assertEquals(Verdict.STASH, next.verdict());
            wait = next.after();
        }
        SettingsWait.Next first = wait.on(new AccountCommand.BackupNow(), false);
        assertEquals(Verdict.DROP, first.verdict());
        assertTrue(first.after().overflowedNow(wait));
        SettingsWait.Next second = first.after().on(new AccountCommand.BackupNow(), false);
        assertEquals(Verdict.DROP, second.verdict());
        assertFalse(second.after().overflowedNow(first.after()));
        assertEquals(2, second.after().stashed());
    }

    @Test
    void whenTheWaitIsOverTheEntityGivesUpOnceDropsWhatWaitedAndOnlyStops() {
        SettingsWait wait = SettingsWait.atStart(false, LIMITS).on(new AccountCommand.BackupNow(), false).after();
        SettingsWait.Next over = wait.on(new AccountCommand.SettingsWaitOver(), false);
        assertEquals(Verdict.GIVE_UP, over.verdict());
        SettingsWait gaveUp = over.after();
        assertEquals(Phase.GAVE_UP, gaveUp.phase());
        assertEquals(1, gaveUp.stashed(), "the warning says how many commands it drops");

        assertEquals(Verdict.DROP, gaveUp.on(new AccountCommand.BackupNow(), false).verdict());
        assertEquals(Verdict.IGNORE, gaveUp.on(new AccountCommand.Wake(), true).verdict(),
                "passivation is under way: the shard starts a new incarnation for what comes next");
        assertEquals(Verdict.ANSWER_STATUS, gaveUp.on(STATUS, false).verdict());
        assertEquals(Verdict.STOP, gaveUp.on(new AccountCommand.Passivate(), false).verdict());
        assertEquals(Verdict.IGNORE, gaveUp.on(new AccountCommand.SettingsWaitOver(), false).verdict());
    }

    @Test
    void aRemovalStopsAWaitingEntityAtOnceUnlessSettingsCameMeanwhile() {
        SettingsWait wait = SettingsWait.atStart(false, LIMITS).on(new AccountCommand.BackupNow(), false).after();
        SettingsWait.Next removed = wait.on(new AccountCommand.Unregistered(), false);
        assertEquals(Verdict.LEAVE, removed.verdict(), "no registration is coming: it does not wait out settings-wait");
        assertEquals(Phase.GAVE_UP, removed.after().phase());
        assertEquals(1, removed.after().stashed(), "the log line says how many commands it drops");
        assertEquals(Verdict.IGNORE, removed.after().on(new AccountCommand.Unregistered(), false).verdict(),
                "the removal as heard from a second node");
        assertEquals(Verdict.DROP, removed.after().on(new AccountCommand.BackupNow(), false).verdict());

        SettingsWait.Next registeredAgain = wait.on(new AccountCommand.Unregistered(), true);
        assertEquals(Verdict.TAKE_SETTINGS, registeredAgain.verdict(), "a registration that crossed the removal wins");
        assertEquals(Verdict.HANDLE, SettingsWait.atStart(true, LIMITS).on(new AccountCommand.Unregistered(), false).verdict(),
                "a running account decides on its removal itself");
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SettingsWait.Limits(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new SettingsWait.Limits(Duration.ofSeconds(1), 0));
    }
}
