package io.vaultkeep.engine.host.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.repository.TestVaults;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageSessionsTest {

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final PageSessions sessions = new PageSessions(clock);

    @Test
    void aLoginCodeWorksOnceAndLeadsToItsTarget() {
        String code = sessions.newLoginCode("/accounts/alice");
        assertEquals(Optional.of("/accounts/alice"), sessions.redeem(code));
        assertEquals(Optional.empty(), sessions.redeem(code));
        assertEquals(Optional.empty(), sessions.redeem("made-up"));
        assertEquals(Optional.empty(), sessions.redeem(null));
    }

    @Test
    void aLoginCodeExpiresAfterTwoMinutes() {
        String code = sessions.newLoginCode("/");
        clock.advance(PageSessions.CODE_LIFETIME);
        assertEquals(Optional.empty(), sessions.redeem(code));
    }

    @Test
    void aSessionIsAdmittedUntilItExpiresAndNoCodeIsASession() {
        String session = sessions.newSession();
        String code = sessions.newLoginCode("/");
        assertNotEquals(session, code);
        assertTrue(session.matches("[A-Za-z0-9_-]{43}"), session);
        assertTrue(sessions.admits(session));
        assertFalse(sessions.admits(code), "a login code is not a session");
        assertFalse(sessions.admits(session.substring(1)));
        clock.advance(PageSessions.SESSION_LIFETIME.minus(Duration.ofSeconds(1)));
        assertTrue(sessions.admits(session));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(sessions.admits(session));
    }

    @Test
    void theOldestSessionGoesWhenTooManyAreHeld() {
        String first = sessions.newSession();
        for (int i = 0; i < PageSessions.MAX; i++) {
            sessions.newSession();
        }
        assertFalse(sessions.admits(first));
    }
}
