package io.vaultkeep.engine.account;

import java.time.Duration;

/**
 * Exponential backoff per account: {@code base}, doubled per consecutive failure, never above
 * {@code cap}; a random spread of ±{@code jitter} (a fraction) keeps a thousand accounts that
 * failed together from retrying together. A failure that retrying will not heal
 * ({@link FailureKind#needsAttention()}) doubles up to {@code attentionCap} instead: it is shown as
 * needing attention at once, and retried only now and then until a person acts (new settings or
 * {@code backup-now} retry at once).
 */
public record BackoffPolicy(Duration base, Duration cap, double jitter, Duration attentionCap) {

    public BackoffPolicy {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("backoff base must be positive: " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
        }
        if (attentionCap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff attention cap " + attentionCap + " is below its base " + base);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1): " + jitter);
        }
    }

    /** Every kind of failure backs off up to {@code cap}. */
    public BackoffPolicy(Duration base, Duration cap, double jitter) {
        this(base, cap, jitter, cap);
    }

    /**
     * @param failures consecutive failures so far, at least 1
     * @param random a draw in [0, 1)
     */
    public Duration delay(int failures, double random) {
        return delay(failures, cap, random);
    }

    /** As {@link #delay(int, double)}, capped by {@code attentionCap} when {@code kind} needs attention. */
    public Duration delay(int failures, FailureKind kind, double random) {
        return delay(failures, kind != null && kind.needsAttention() ? attentionCap : cap, random);
    }

    private Duration delay(int failures, Duration ceiling, double random) {
        if (failures < 1) {
            throw new IllegalArgumentException("no failure, no backoff: " + failures);
        }
        long capMillis = ceiling.toMillis();
        long millis = base.toMillis();
        for (int i = 1; i < failures && millis < capMillis; i++) {
            millis *= 2; // cannot overflow: it starts below the cap and stops once past it
        }
        double spread = 1 + jitter * (2 * random - 1);
        long jittered = Math.round(Math.min(millis, capMillis) * spread);
        return Duration.ofMillis(Math.max(1, Math.min(jittered, capMillis)));
    }
}
