package io.vaultkeep.engine.source.bitwarden;

import java.time.Duration;
import java.util.Optional;

/**
 * When to ask the server for its revision date next: every {@code interval}, spread by ±{@code
 * jitter} so that thousands of accounts started together do not poll in step; after failures, twice
 * as long each time up to {@code maxBackoff}, and never sooner than a {@code Retry-After} the server
 * sent (429 or 503).
 */
public record PollSchedule(Duration interval, double jitter, Duration maxBackoff) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    public PollSchedule {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
    }

    public static PollSchedule every(Duration interval) {
        return new PollSchedule(interval, 0.1, Duration.ofMinutes(10).compareTo(interval) > 0 ? Duration.ofMinutes(10) : interval);
    }

    /**
     * @param failures consecutive failed polls (0 after a success)
     * @param retryAfter what the server asked for, if anything
     * @param random a draw in [0, 1)
     */
    public Duration next(int failures, Optional<Duration> retryAfter, double random) {
        Duration base;
        if (failures <= 0) {
            base = interval;
        } else {
            long millis = interval.toMillis() << Math.min(failures, 20);
            base = Duration.ofMillis(Math.min(millis, Math.max(maxBackoff.toMillis(), interval.toMillis())));
        }
        long spread = Math.round(base.toMillis() * jitter * (2 * random - 1));
        Duration next = base.plusMillis(spread);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(next) > 0) {
            return retryAfter.get();
        }
        return next;
    }
}
