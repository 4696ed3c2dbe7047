package io.vaultkeep.engine.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What an operator can be told about an account, by the name the config uses. */
public enum NotifyEvent {
    /** A run planned a snapshot and starts writing (a ping's {@code /start}). */
    RUN_STARTED("run-started"),
    /** A run committed a snapshot, or found the newest one already current. */
    SUCCESS("success"),
    /** The first failure after a success: later retries failing the same way are not repeated. */
    RUN_FAILED("run-failed"),
    /** Failing in a way retrying will not fix, or failing again and again. */
    NEEDS_ATTENTION("needs-attention"),
    /** A success after failures. */
    RECOVERED("recovered"),
    LOCATION_FULL("location-full"),
    REPOSITORY_DAMAGED("repository-damaged");

    /** Sent when a target names no events: every failure and the recovery, not the routine. */
    public static final Set<NotifyEvent> DEFAULT = EnumSet.of(RUN_FAILED, NEEDS_ATTENTION, RECOVERED, LOCATION_FULL,
            REPOSITORY_DAMAGED);

    private final String key;

    NotifyEvent(String key) {
        this.key = key;
    }

    /** The name in the config and in webhook bodies, e.g. {@code run-failed}. */
    public String key() {
        return key;
    }

    /** Whether it reports something wrong (a ping sends those to {@code /fail}). */
    public boolean failure() {
        return this == RUN_FAILED || this == NEEDS_ATTENTION || this == LOCATION_FULL || this == REPOSITORY_DAMAGED;
    }

    public static Optional<NotifyEvent> named(String key) {
        return Arrays.stream(values()).filter(e -> e.key.equals(key.trim())).findFirst();
    }
}
