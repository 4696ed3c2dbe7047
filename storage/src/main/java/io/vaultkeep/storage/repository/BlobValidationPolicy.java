package io.vaultkeep.storage.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a reused blob is read back before it is trusted again (Keyguard's rule): never within 7 days
 * of its last validation, with 30% probability between 7 and 14 days, always after 14 days.
 */
public final class BlobValidationPolicy {

    static final Duration MAYBE_AFTER = Duration.ofDays(7);
    static final Duration ALWAYS_AFTER = Duration.ofDays(14);
    static final double MAYBE_PROBABILITY = 0.30;

    private BlobValidationPolicy() {}

    /** @param lastValidated the last validation, or the blob's creation when it was never validated */
    public static boolean isDue(Instant lastValidated, Instant now, RandomGenerator dice) {
        if (lastValidated == null) {
            return true;
        }
        Duration age = Duration.between(lastValidated, now);
        if (age.compareTo(ALWAYS_AFTER) > 0) {
            return true;
        }
        if (age.compareTo(MAYBE_AFTER) >= 0) {
            return dice.nextDouble() < MAYBE_PROBABILITY;
        }
        return false;
    }
}
