package io.vaultkeep.engine.host;

import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.engine.wording.Counted;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether one account is healthy, from what is known of it; pure. In order:
 *
 * <ol>
 *   <li>{@link AccountHealth#NEEDS_ATTENTION}: the newest failure is of a kind retrying will not heal
 *       ({@link FailureKind#needsAttention()}: a wrong backup password, a refused API key, a full or
 *       damaged repository), the source's origin refused its credentials, or the host refused the
 *       location: from the first failure on;
 *   <li>{@link AccountHealth#FAILING}: {@code failureThreshold} or more failures in a row, counting
 *       runs and the source's checks (a polling source's failed polls count from the first one);
 *   <li>{@link AccountHealth#STALE}: a {@code max-age} is set and neither a run nor a source check
 *       succeeded within it (an account never backed up counts from when the host started it);
 *   <li>else {@link AccountHealth#OK}.
 * </ol>
 *
 * @param failureThreshold failures in a row at which an account is failing, at least 1
 */
public record HealthRule(int failureThreshold) {

    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    public static final HealthRule DEFAULT = new HealthRule(DEFAULT_FAILURE_THRESHOLD);

    public HealthRule {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("the failure threshold must be at least 1: " + failureThreshold);
        }
    }

    /**
     * What the rule looks at.
     *
     * @param runFailures      failed runs (and prunes) since the last success
     * @param failureKind      the newest failure's kind, or null
     * @param lastError        the newest failure's message (never a secret), or null
     * @param lastSuccessAt    when a run last found the vault backed up (a commit or an unchanged check), or null
     * @param sourceCheck      what the source's own checks found (polling sources), or null when it makes none
     * @param refusal          why the host did not start the account, or null when it runs
     * @param startedAt        when the host started the account: the age of an account never backed up
     * @param maxAge           the account's {@code max-age}, or empty
     */
    public record Facts(int runFailures, FailureKind failureKind, String lastError, Instant lastSuccessAt,
                        SourceCheck sourceCheck, Refusal refusal, Instant startedAt, Optional<Duration> maxAge) {
        public Facts {
            maxAge = maxAge == null ? Optional.empty() : maxAge;
        }
    }

    /**
     * What a polling source last learned from its origin.
     *
     * @param lastSuccessAt  when a check last succeeded, or null
     * @param failures       checks failed since then
     * @param lastError      the newest failed check's message, or null
     * @param needsAttention the newest failed check was refused in a way only new settings fix
     */
    public record SourceCheck(Instant lastSuccessAt, int failures, String lastError, boolean needsAttention) {}

    /**
     * Why the host did not start an account.
     *
     * @param needsAttention the location answered but failed its test (refused until new settings);
     *                       false: it could not be reached and is tried again
     * @param attempts       how many times it was tried
     */
    public record Refusal(String reason, boolean needsAttention, int attempts) {}

    /** The verdict and, unless ok, why (one line, for a person; never a secret). */
    public record Judgement(AccountHealth health, String reason) {
        public static final Judgement OK = new Judgement(AccountHealth.OK, null);

        public boolean healthy() {
            return health == AccountHealth.OK;
        }
    }

    public Judgement judge(Facts facts, Instant now) {
        Refusal refusal = facts.refusal();
        SourceCheck check = facts.sourceCheck();
        if (refusal != null && refusal.needsAttention()) {
            return new Judgement(AccountHealth.NEEDS_ATTENTION, "location refused: " + refusal.reason());
        }
        if (facts.runFailures() > 0 && facts.failureKind() != null && facts.failureKind().needsAttention()) {
            return new Judgement(AccountHealth.NEEDS_ATTENTION, kindName(facts.failureKind()) + ": " + orUnknown(facts.lastError()));
        }
        if (check != null && check.failures() > 0 && check.needsAttention()) {
            return new Judgement(AccountHealth.NEEDS_ATTENTION, "source-refused: " + orUnknown(check.lastError()));
        }
        int sourceFailures = check == null ? 0 : check.failures();
        int refusals = refusal == null ? 0 : Math.max(1, refusal.attempts());
        int failures = Math.max(facts.runFailures(), Math.max(sourceFailures, refusals));
        if (failures >= failureThreshold) {
            String why = refusal != null ? refusal.reason()
                    : sourceFailures >= facts.runFailures() && check.lastError() != null ? "source check: " + check.lastError()
                    : (facts.failureKind() == null ? "" : kindName(facts.failureKind()) + ": ") + orUnknown(facts.lastError());
            return new Judgement(AccountHealth.FAILING, Counted.of(failures, "failure") + " in a row: " + why);
        }
        if (facts.maxAge().isPresent()) {
            Duration maxAge = facts.maxAge().get();
            Instant lastGood = Stream.of(facts.lastSuccessAt(), check == null ? null : check.lastSuccessAt())
                    .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
            Instant since = lastGood != null ? lastGood : facts.startedAt();
            if (since != null && Duration.between(since, now).compareTo(maxAge) > 0) {
                return new Judgement(AccountHealth.STALE, (lastGood == null
                        ? "no successful run or source check since the host started the account at " + since
                        : "the last successful run or source check was at " + lastGood) + ", longer ago than max-age " + text(maxAge));
            }
        }
        return Judgement.OK;
    }

    /** The kind as the status and metrics name it: {@code wrong-password}. */
    static String kindName(FailureKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String orUnknown(String message) {
        return message == null ? "(no message)" : message;
    }

    /** {@code 26h}, {@code 90m}, {@code 45s}: as the config writes durations. */
    static String text(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
    }
}
