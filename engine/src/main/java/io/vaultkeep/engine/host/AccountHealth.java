package io.vaultkeep.engine.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Whether an account is healthy, as the status endpoint, {@code vaultkeep status} and the metrics
 * show it ({@link HealthRule} decides). The wire names are stable.
 */
public enum AccountHealth {
    /** Backed up, or failing less than the threshold; within its max-age. */
    OK("ok", "ok"),
    /** Failed the threshold's number of times in a row (runs or source checks); retried with backoff. */
    FAILING("failing", "failing"),
    /** A failure retrying will not heal: a person must change a setting or the location. */
    NEEDS_ATTENTION("needs-attention", "needs attention"),
    /** No successful run or source check within the account's max-age. */
    STALE("stale", "stale");

    private final String wireName;
    private final String words;

    AccountHealth(String wireName, String words) {
        this.wireName = wireName;
        this.words = words;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** As {@code vaultkeep status} prints it. */
    public String words() {
        return words;
    }

    @JsonCreator
    public static AccountHealth fromWireName(String name) {
        return Arrays.stream(values()).filter(h -> h.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown account health '" + name + "'"));
    }
}
