package io.vaultkeep.engine.host.page;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Who may see the status pages in a browser. {@code vaultkeep status --open} (holding the status
 * token) asks for a login code; the browser brings it once, within {@link #CODE_LIFETIME}, and gets
 * a session cookie for {@link #SESSION_LIFETIME}. Both are 32 random bytes, kept only in memory (a
 * restarted host forgets them) and compared in constant time against every one held.
 */
public final class PageSessions {

    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** The most codes and sessions held at once; the oldest goes first. */
    static final int MAX = 32;

    private record Grant(byte[] value, Instant expiresAt, String target) {}

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final List<Grant> codes = new ArrayList<>();
    private final List<Grant> sessions = new ArrayList<>();

    public PageSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new one-time login code; redeeming it leads to {@code target} (a path on this host). */
    public synchronized String newLoginCode(String target) {
        return add(codes, CODE_LIFETIME, target);
    }

    /** The target of a valid code, which is used up; empty for an unknown, used or expired code. */
    public synchronized Optional<String> redeem(String code) {
        Grant match = find(codes, code);
        if (match == null) {
            return Optional.empty();
        }
        codes.remove(match);
        return Optional.of(match.target());
    }

    /** A new session's cookie value. */
    public synchronized String newSession() {
        return add(sessions, SESSION_LIFETIME, null);
    }

    /** Whether {@code value} is a session cookie this host gave and that has not expired. */
    public synchronized boolean admits(String value) {
        return find(sessions, value) != null;
    }

    private String add(List<Grant> grants, Duration lifetime, String target) {
        purge(grants);
        if (grants.size() >= MAX) {
            grants.remove(0);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.add(new Grant(value.getBytes(StandardCharsets.US_ASCII), clock.instant().plus(lifetime), target));
        return value;
    }

    /** Compares with every grant, without stopping at a match: the time taken says nothing of the values. */
    private Grant find(List<Grant> grants, String value) {
        purge(grants);
        if (value == null) {
            return null;
        }
        byte[] given = value.getBytes(StandardCharsets.US_ASCII);
        Grant match = null;
        for (Grant g : grants) {
            if (MessageDigest.isEqual(g.value(), given)) {
                match = g;
            }
        }
        return match;
    }

    private void purge(List<Grant> grants) {
        Instant now = clock.instant();
        for (Iterator<Grant> it = grants.iterator(); it.hasNext(); ) {
            if (!it.next().expiresAt().isAfter(now)) {
                it.remove();
            }
        }
    }
}
