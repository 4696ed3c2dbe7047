package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    @Test
    void doublesPerFailureUpToTheCap() {
        BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(20), 0);
        assertEquals(Duration.ofSeconds(1), policy.delay(1, 0.3));
        assertEquals(Duration.ofSeconds(2), policy.delay(2, 0.3));
        assertEquals(Duration.ofSeconds(4), policy.delay(3, 0.3));
        assertEquals(Duration.ofSeconds(16), policy.delay(5, 0.3));
        assertEquals(Duration.ofSeconds(20), policy.delay(6, 0.3));
        assertEquals(Duration.ofSeconds(20), policy.delay(Integer.MAX_VALUE, 0.3), "no overflow however long it fails");
    }

    @Test
    void jitterSpreadsWithinItsFractionAndNeverPastTheCap() {
        BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofSeconds(60), 0.2);
        assertEquals(Duration.ofSeconds(8), policy.delay(1, 0.0));
        assertEquals(Duration.ofSeconds(10), policy.delay(1, 0.5));
        assertTrue(policy.delay(1, 0.999).toMillis() <= 12_000 && policy.delay(1, 0.999).toMillis() > 11_900);
        assertEquals(Duration.ofSeconds(60), policy.delay(10, 0.999), "capped after the spread too");
        assertEquals(Duration.ofSeconds(48), policy.delay(10, 0.0), "the spread may bring a capped wait below the cap");
    }

    @Test
    void failuresThatNeedAPersonDoubleUpToTheAttentionCeilingTheOthersUpToTheCap() {
        BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(30), 0, Duration.ofHours(2));
        for (FailureKind kind : FailureKind.values()) {
            Duration ceiling = kind.needsAttention() ? Duration.ofHours(2) : Duration.ofMinutes(30);
            assertEquals(Duration.ofSeconds(40), policy.delay(3, kind, 0.5), kind + " doubles from the base like any other");
            assertEquals(ceiling, policy.delay(100, kind, 0.5), kind + " settles at its ceiling");
        }
        assertEquals(Duration.ofMinutes(30), policy.delay(100, null, 0.5), "no kind: the usual cap");
        BackoffPolicy lower = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(30), 0, Duration.ofMinutes(5));
        assertEquals(Duration.ofMinutes(5), lower.delay(100, FailureKind.WRONG_PASSWORD, 0.5), "a ceiling may also be lower");
        assertEquals(Duration.ofMinutes(30), new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(30), 0)
                .delay(100, FailureKind.WRONG_PASSWORD, 0.5), "without a ceiling of its own: the cap");
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0));
        assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0).delay(0, 0));
    }
}
