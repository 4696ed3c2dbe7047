package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The debounce rule's promises, checked on random change streams: the due instants are read back
 * against the changes alone, never against the rule's own arithmetic.
 */
class DebounceRulePropertiesTest {

    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    private static List<Instant> changesFromGaps(List<Integer> gapsMillis) {
        List<Instant> changes = new ArrayList<>();
        Instant at = START;
        for (int gap : gapsMillis) {
            at = at.plusMillis(gap);
            changes.add(at);
        }
        return changes;
    }

    /** The changes a due backup covers: from the previous due instant (inclusive) to this one (exclusive). */
    private static List<Instant> burstOf(List<Instant> changes, Instant previousDue, Instant due) {
        return changes.stream().filter(c -> (previousDue == null || !c.isBefore(previousDue)) && c.isBefore(due)).toList();
    }

    @Property
    void everyChangeIsCoveredNoLaterThanMaxDelayAfterItsBurstsFirstChange(
            @ForAll @IntRange(min = 1, max = 5_000) int quietMillis,
            @ForAll @IntRange(min = 1, max = 20) int maxFactor,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 12_000) Integer> gaps) {
        DebounceRule rule = new DebounceRule(Duration.ofMillis(quietMillis), Duration.ofMillis((long) quietMillis * maxFactor));
        List<Instant> changes = changesFromGaps(gaps);
        List<Instant> due = rule.dueTimes(changes);

        assertFalse(due.isEmpty());
        assertTrue(due.size() <= changes.size(), "never more backups than changes");
        assertTrue(due.get(due.size() - 1).isAfter(changes.get(changes.size() - 1)), "the last change is covered");
        Instant previous = null;
        int covered = 0;
        for (Instant d : due) {
            List<Instant> burst = burstOf(changes, previous, d);
            assertFalse(burst.isEmpty(), "a backup is due only for changes");
            Instant first = burst.get(0);
            assertFalse(d.isAfter(first.plus(rule.maxDelay())), "no change waits past max-delay for its backup");
            covered += burst.size();
            previous = d;
        }
        assertEquals(changes.size(), covered, "every change belongs to exactly one backup");
    }

    @Property
    void theQuietWindowIsHonouredUnlessMaxDelayForcesTheBackup(
            @ForAll @IntRange(min = 1, max = 5_000) int quietMillis,
            @ForAll @IntRange(min = 1, max = 20) int maxFactor,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 12_000) Integer> gaps) {
        Duration quiet = Duration.ofMillis(quietMillis);
        DebounceRule rule = new DebounceRule(quiet, quiet.multipliedBy(maxFactor));
        List<Instant> changes = changesFromGaps(gaps);
        Instant previous = null;
        for (Instant d : rule.dueTimes(changes)) {
            List<Instant> burst = burstOf(changes, previous, d);
            Instant first = burst.get(0);
            Instant last = burst.get(burst.size() - 1);
            boolean forced = d.equals(first.plus(rule.maxDelay()));
            if (!forced) {
                assertEquals(last.plus(quiet), d, "due exactly one quiet window after the burst's last change");
            }
            assertFalse(d.isAfter(last.plus(quiet)), "never waits longer than the quiet window once changes stop");
            previous = d;
        }
    }

    @Property
    void aBurstWithinTheQuietWindowAndMaxDelayFoldsIntoOneBackup(
            @ForAll @IntRange(min = 2, max = 5_000) int quietMillis,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 10_000) Integer> fractions) {
        Duration quiet = Duration.ofMillis(quietMillis);
        // gaps strictly below the quiet window; max-delay longer than the whole burst
        List<Integer> gaps = fractions.stream().map(f -> (int) ((long) f * (quietMillis - 1) / 10_000)).toList();
        long span = gaps.stream().mapToLong(Integer::longValue).sum() - gaps.get(0);
        DebounceRule rule = new DebounceRule(quiet, Duration.ofMillis(span + quietMillis + 1));
        List<Instant> changes = changesFromGaps(gaps);

        List<Instant> due = rule.dueTimes(changes);
        assertEquals(1, due.size());
        assertEquals(changes.get(changes.size() - 1).plus(quiet), due.get(0));
    }

    @Example
    void changesThatNeverStopGiveABackupEveryMaxDelay() {
        DebounceRule rule = new DebounceRule(Duration.ofSeconds(5), Duration.ofSeconds(60));
        List<Instant> changes = new ArrayList<>();
        for (int second = 0; second <= 180; second += 2) {
            changes.add(START.plusSeconds(second));
        }
        assertEquals(List.of(START.plusSeconds(60), START.plusSeconds(120), START.plusSeconds(180), START.plusSeconds(185)),
                rule.dueTimes(changes));
    }
}
