package io.vaultkeep.engine.source;

import java.time.Duration;
import java.time.Instant;

/**
 * Told what a source that asks its origin (a Bitwarden server's revision date) learns at each check,
 * for the host's health and metrics: a check that got an answer shows the backup current as of then
 * (unless it reports a change), a failed one counts as a failure from the first. Called on the
 * source's own threads; never given a secret.
 */
public interface SourceCheckListener {

    SourceCheckListener NONE = new SourceCheckListener() {
        @Override
        public void checked(String accountId, Instant at, Duration took) {}

        @Override
        public void checkFailed(String accountId, Instant at, Duration took, String message, boolean needsAttention) {}
    };

    void checked(String accountId, Instant at, Duration took);

    /** @param needsAttention the origin refused the source's credentials or settings: retrying will not help */
    void checkFailed(String accountId, Instant at, Duration took, String message, boolean needsAttention);
}
