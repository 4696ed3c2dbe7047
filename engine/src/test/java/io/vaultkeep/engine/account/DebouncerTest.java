package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The debouncer on an explicit clock: what the entity's timer is set to, and what each check finds. */
class DebouncerTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void foldsABurstIntoOneBackupForTheNewestRevision() {
        Debouncer debouncer = new Debouncer(new DebounceRule(Duration.ofMillis(300), Duration.ofMillis(1200)));
        for (int i = 1; i <= 5; i++) {
            assertEquals(Duration.ofMillis(300), debouncer.change(T0.plusMillis(50L * i), "r" + i), "checked after the quiet window");
        }
        Debouncer.Check early = debouncer.check(T0.plusMillis(300));
        assertFalse(early.due(), "the quiet window since the last change has not passed");
        assertEquals(Duration.ofMillis(250), early.again(), "checked again when it has");
        Debouncer.Check due = debouncer.check(T0.plusMillis(550));
        assertTrue(due.due());
        assertEquals("r5", due.revision(), "one backup, for the newest revision");
        Debouncer.Check after = debouncer.check(T0.plusMillis(2_000));
        assertFalse(after.due(), "the burst was reported once");
        assertNull(after.again(), "and there is nothing to check any more");
    }

    @Test
    void capsTheWaitWhenChangesKeepComing() {
        Debouncer debouncer = new Debouncer(new DebounceRule(Duration.ofMillis(300), Duration.ofMillis(1200)));
        Instant dueAt = null;
        // a change every 100 ms, never quiet for 300 ms: each change sets the timer, and it fires as set
        Instant checkAt = T0.plus(debouncer.change(T0, "s0"));
        for (int i = 1; i <= 20 && dueAt == null; i++) {
            Instant now = T0.plusMillis(100L * i);
            if (!now.isBefore(checkAt)) {
                Debouncer.Check check = debouncer.check(checkAt);
                if (check.due()) {
                    dueAt = checkAt;
                    break;
                }
            }
            checkAt = now.plus(debouncer.change(now, "s" + i));
        }
        assertEquals(T0.plusMillis(1200), dueAt, "max-delay forced the backup 1.2 s after the burst's first change");
    }

    @Test
    void aCancelledBurstIsNotReported() {
        Debouncer debouncer = new Debouncer(new DebounceRule(Duration.ofMillis(200), Duration.ofSeconds(1)));
        debouncer.change(T0, "r1");
        debouncer.cancel();
        Debouncer.Check check = debouncer.check(T0.plusSeconds(5));
        assertFalse(check.due());
        assertNull(check.again());
    }
}
