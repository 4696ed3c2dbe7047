package io.vaultkeep.storage.repository;

import io.vaultkeep.storage.store.ObjectInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

    /**
     * Between read-backs a reused blob is only looked at (one stat): what is wrong with it, or empty
     * when it is there with the size the index records (a server that gives no size is trusted).
     *
     * @param indexedSize the stored (zip) size the index records, or null if it records none
     */
    public static Optional<String> storedObjectProblem(Long indexedSize, Optional<ObjectInfo> stored) {
        if (stored.isEmpty()) {
            return Optional.of("its object is missing");
        }
        long size = stored.get().size();
        if (indexedSize != null && size >= 0 && size != indexedSize) {
            return Optional.of("its object has " + size + " bytes, the index records " + indexedSize);
        }
        return Optional.empty();
    }
}
