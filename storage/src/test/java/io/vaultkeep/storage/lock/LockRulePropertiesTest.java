package io.vaultkeep.storage.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.LockDocument;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The lock's decisions, against the clock alone: a live lock is never taken, a lapsed one always. */
class LockRulePropertiesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static LockRule rule(long expirySeconds, long waitSeconds) {
        return new LockRule(Duration.ofSeconds(expirySeconds), Duration.ofSeconds(waitSeconds), Duration.ofMillis(100));
    }

    @Property
    void aLockBindsExactlyUntilItsExpiry(@ForAll @LongRange(min = 1, max = 3600) long expiry,
                                         @ForAll @LongRange(min = -7200, max = 7200) long secondsAfterClaim) {
        LockRule rule = rule(expiry, 10);
        LockDocument lock = rule.claim("vaultkeep backup", "nas", 42, "t", T0);
        LockRule.Found found = rule.judge(lock, T0.plusSeconds(secondsAfterClaim), false);
        if (secondsAfterClaim < expiry) {
            assertEquals(new LockRule.Held(lock), found, "a live lock binds");
        } else {
            assertEquals(new LockRule.Stale(lock), found, "a lapsed lock may be taken over");
        }
    }

    @Property
    void aRefreshedLockBindsAnotherFullExpiryFromTheRefresh(@ForAll @LongRange(min = 3, max = 3600) long expiry,
                                                           @ForAll @IntRange(min = 1, max = 50) int refreshes) {
        LockRule rule = rule(expiry, 10);
        LockDocument lock = rule.claim("vaultkeep host account a", "nas", 7, "t", T0);
        Instant now = T0;
        for (int i = 0; i < refreshes; i++) {
            now = now.plus(rule.refreshEvery());
            lock = rule.refresh(lock, now);
        }
        assertInstanceOf(LockRule.Held.class, rule.judge(lock, now.plus(rule.refreshEvery()).plus(rule.refreshEvery()), false),
                "two missed refreshes still leave the lock bound");
        assertEquals(T0, lock.acquiredAt(), "waiting writers see when the holding began");
        assertEquals("t", lock.token());
        assertTrue(rule.refreshEvery().multipliedBy(3).compareTo(rule.expiry()) <= 0);
    }

    @Property
    void aWriterGivesUpExactlyWhenItsWaitIsOver(@ForAll @LongRange(min = 0, max = 600) long wait,
                                               @ForAll @LongRange(min = 0, max = 1200) long waited) {
        assertEquals(waited >= wait, rule(60, wait).givesUp(Duration.ofSeconds(waited)));
    }

    @Property
    void aLockWhoseHolderIsKnownGoneBindsNoLonger(@ForAll @LongRange(min = 1, max = 3600) long expiry,
                                                 @ForAll @LongRange(min = -7200, max = 7200) long secondsAfterClaim) {
        LockRule rule = rule(expiry, 10);
        LockDocument lock = rule.claim("vaultkeep host account a", "nas", 42, "t", T0);
        assertEquals(new LockRule.Stale(lock), rule.judge(lock, T0.plusSeconds(secondsAfterClaim), true));
    }

    @Property
    void noLockOrAReleasedOneIsFree(@ForAll @LongRange(min = -100, max = 100) long at) {
        assertEquals(new LockRule.Free(), rule(60, 1).judge(null, T0.plusSeconds(at), at > 0));
        assertEquals(new LockRule.Free(), rule(60, 1).judge(LockDocument.RELEASED, T0.plusSeconds(at), at > 0));
    }
}
