package io.vaultkeep.engine.account;

import java.time.Duration;
import java.time.Instant;

/**
 * Folds a burst of changes into one {@link AccountCommand.BackupDue}, as {@link DebounceRule} says.
 * Not an actor: an idle account should not pay for a child that waits for changes, so the account's
 * children hold this and the entity's own timer wakes it ({@link AccountCommand.DebounceCheck}).
 * Only the entity's thread uses it.
 */
public final class Debouncer {

    /** Changes in, one {@link AccountCommand.BackupDue} per burst out; local-only, decided by the account for its children. */
    public sealed interface Command extends LocalOnlyMessage {}

    public record ChangeSeen(String revision) implements Command {}

    /** Forget the burst in progress: a run that covers it was started another way (backup now). */
    public record CancelBurst() implements Command {}

    /**
     * What a check found: the burst is over ({@code due}, with its newest revision, and forgotten),
     * or the check comes again after {@code again} (a timer may fire a little early), or there is no
     * burst ({@code again} null).
     */
    public record Check(boolean due, String revision, Duration again) {}

    private final DebounceRule rule;
    private DebounceRule.Burst burst;

    public Debouncer(DebounceRule rule) {
        this.rule = rule;
    }

    /** A change: @return how long until the burst may be due, when it is to be checked */
    public Duration change(Instant now, String revision) {
        burst = burst == null ? rule.start(now, revision) : rule.add(burst, now, revision);
        return untilDue(now);
    }

    public Check check(Instant now) {
        if (burst == null) {
            return new Check(false, null, null);
        }
        if (rule.due(burst, now)) {
            String revision = burst.revision();
            burst = null;
            return new Check(true, revision, null);
        }
        return new Check(false, null, untilDue(now));
    }

    public void cancel() {
        burst = null;
    }

    private Duration untilDue(Instant now) {
        Duration wait = Duration.between(now, rule.dueAt(burst));
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
