package io.vaultkeep.engine.account;

import java.time.Duration;

/**
 * Exponential backoff per account: {@code base}, doubled per consecutive failure, never above
 * {@code cap}; a random spread of ±{@code jitter} (a fraction) keeps a thousand accounts that
 * failed together from retrying together.
 */
public record BackoffPolicy(Duration base, Duration cap, double jitter) {

    public BackoffPolicy {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("backoff base must be positive: " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1): " + jitter);
        }
    }

    /**
     * @param failures consecutive failures so far, at least 1
     * @param random a draw in [0, 1)
     */
    public Duration delay(int failures, double random) {
        if (failures < 1) {
            throw new IllegalArgumentException("no failure, no backoff: " + failures);
        }
        long capMillis = cap.toMillis();
        long millis = base.toMillis();
        for (int i = 1; i < failures && millis < capMillis; i++) {
            millis *= 2; // cannot overflow: it starts below the cap and stops once past it
        }
        double spread = 1 + jitter * (2 * random - 1);
        long jittered = Math.round(Math.min(millis, capMillis) * spread);
        return Duration.ofMillis(Math.max(1, Math.min(jittered, capMillis)));
    }
}
