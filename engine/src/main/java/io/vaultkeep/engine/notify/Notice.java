package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyEvent;
import java.time.Instant;

/**
 * One thing to tell an operator about an account. What a webhook posts, a mail says and a command
 * gets; it never holds a secret: the error is the failure's message, as the host logs it.
 *
 * @param id         stable across redeliveries (the journal event's persistence id and sequence
 *                   number, and the event): a receiver can drop a repeat, delivery being at least once
 * @param runId      the run it is about; null when the journal event names none
 * @param snapshotId the committed (or current) snapshot; null when there is none
 * @param counts     what the run stored; null when not known (e.g. the plan was journaled before a restart)
 * @param failure    the failure's kind (e.g. {@code WRONG_PASSWORD}); null for a success
 * @param error      the failure's message; null for a success
 */
public record Notice(String id, NotifyEvent event, String accountId, Instant at, String runId, String snapshotId,
                     Counts counts, String failure, String error) {

    /** What a run stored: ciphers and attachments in the snapshot, blobs written new or reused. */
    public record Counts(int ciphers, int attachments, int newBlobs, int reusedBlobs) {}

    /** One line for a log, a mail subject or a ping body. */
    public String summary() {
        String what = switch (event) {
            case RUN_STARTED -> "backup started";
            case SUCCESS -> snapshotId == null ? "backup succeeded" : "snapshot " + snapshotId + " committed";
            case RUN_FAILED -> "backup failed";
            case NEEDS_ATTENTION -> "needs attention";
            case RECOVERED -> "recovered";
            case LOCATION_FULL -> "location full";
            case REPOSITORY_DAMAGED -> "repository damaged";
        };
        return "account " + accountId + ": " + what + (error == null ? "" : ": " + error);
    }
}
