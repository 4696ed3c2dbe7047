package io.vaultkeep.storage.lock;

import io.vaultkeep.protocol.repository.LockDocument;
import java.time.Duration;
import java.time.Instant;

/**
 * The writer lock's decisions, pure: whether a lock found in place still binds, when a waiting
 * writer gives up, when a holder refreshes. Invariant «one writer at a time where it can be known» (docs/design.md):
 * a live lock is never taken over; a lock whose holder stopped refreshing it is, after its expiry.
 *
 * @param expiry  how long a lock binds after its last refresh (a holder that dies is waited out this long)
 * @param maxWait how long a writer waits for a held lock before it fails
 * @param poll    how often a waiting writer looks again
 */
public record LockRule(Duration expiry, Duration maxWait, Duration poll) {

    /**
     * 30 s expiry (refreshed every 10 s), two minutes' patience, a look every quarter second: a host
     * killed mid-run holds its accounts' lock objects for at most 30 s, well within the patience of
     * its next incarnation.
     */
    public static final LockRule DEFAULT = new LockRule(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMillis(250));

    public LockRule {
        if (expiry.isNegative() || expiry.isZero() || maxWait.isNegative() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("lock expiry and poll must be positive, the wait not negative");
        }
    }

    /** What a writer finds in the lock's place. */
    public sealed interface Found permits Free, Held, Stale {}

    public record Free() implements Found {}

    public record Held(LockDocument by) implements Found {}

    public record Stale(LockDocument by) implements Found {}

    /**
     * @param current the lock in place, or null when there is none
     * @param holderGone whether the holder is known to be dead (its pid is gone from this very host):
     *     then its lock binds no longer, whatever its expiry
     */
    public Found judge(LockDocument current, Instant now, boolean holderGone) {
        // a lock without an expiry is a released one (LockDocument.RELEASED): it binds nobody
        if (current == null || current.expiresAt() == null) {
            return new Free();
        }
        return now.isBefore(current.expiresAt()) && !holderGone ? new Held(current) : new Stale(current);
    }

    /** A new holding of the lock by this writer. */
    public LockDocument claim(String owner, String host, long pid, String token, Instant now) {
        return new LockDocument(owner, host, pid, now, now.plus(expiry), token);
    }

    /** The holder's lock moved on: refreshed well before it expires, so a slow store cannot let it lapse. */
    public LockDocument refresh(LockDocument mine, Instant now) {
        return mine.refreshed(now.plus(expiry));
    }

    /** A third of the expiry: two refreshes may fail before another writer may take the lock. */
    public Duration refreshEvery() {
        return expiry.dividedBy(3);
    }

    /** Whether a writer that has waited this long (measured on a monotonic clock) gives up. */
    public boolean givesUp(Duration waited) {
        return waited.compareTo(maxWait) >= 0;
    }
}
