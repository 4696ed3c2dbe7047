package io.vaultkeep.engine.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What an account is doing, as the status endpoint shows it (the wire view of the engine's account phase). */
public enum AccountActivity {
    /** Up to date; waiting for a change. */
    IDLE("idle"),
    /** A change came; the backup starts after the quiet window (or the maximum delay). */
    DEBOUNCING("debouncing"),
    /** Due, waiting for one of the host's run permits (max-concurrent-runs). */
    QUEUED("queued"),
    /** A backup run is in flight. */
    RUNNING("running"),
    /** Old snapshots are being pruned. */
    PRUNING("pruning"),
    /** The last run failed; the next try waits out an exponential backoff. */
    BACKING_OFF("backing-off"),
    /** Failed for a reason that needs an operator (a wrong password, a refused API key, a location that fails its test): retried only slowly. */
    FAILED("failed"),
    /** The repository's newest index is unreadable: nothing is written until `vaultkeep repair`. */
    DAMAGED("damaged"),
    /** The node running the account has no settings for it (yet): it is not in that node's config. */
    WAITING_FOR_SETTINGS("waiting-for-settings"),
    /** The account did not answer in time: in a cluster, its node was lost and it is moving to another. */
    NOT_ANSWERING("not-answering");

    private final String wireName;

    AccountActivity(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static AccountActivity fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown account state '" + name + "'"));
    }
}
