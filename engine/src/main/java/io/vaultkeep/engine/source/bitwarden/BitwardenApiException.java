package io.vaultkeep.engine.source.bitwarden;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The server refused or failed a request. The message says what, never with a secret in it;
 * {@link #kind()} tells the source how to react.
 */
public final class BitwardenApiException extends IOException {

    public enum Kind {
        /** wrong API key or password, revoked or expired credentials: a person must act */
        AUTHENTICATION,
        /** 429 or 503 with or without Retry-After: wait and ask again */
        THROTTLED,
        /** 5xx, a dropped connection, a timeout: try again later */
        UNAVAILABLE,
        /** an answer this client cannot use */
        PROTOCOL
    }

    private final Kind kind;
    private final Optional<Duration> retryAfter;

    public BitwardenApiException(Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public BitwardenApiException(Kind kind, String message) {
        this(kind, message, Optional.empty(), null);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
