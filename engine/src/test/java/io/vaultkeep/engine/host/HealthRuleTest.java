package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.engine.host.HealthRule.Facts;
import io.vaultkeep.engine.host.HealthRule.Judgement;
import io.vaultkeep.engine.host.HealthRule.Refusal;
import io.vaultkeep.engine.host.HealthRule.SourceCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The health verdict of one account, from its facts alone. */
class HealthRuleTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Instant STARTED = NOW.minus(Duration.ofDays(10));
    private static final HealthRule RULE = new HealthRule(3);

    private static Facts runs(int failures, FailureKind kind, Instant lastSuccess, Optional<Duration> maxAge) {
        return new Facts(failures, failures == 0 ? null : kind, failures == 0 ? null : "the error", lastSuccess, null, null,
                STARTED, maxAge);
    }

    @Example
    void anAccountWithoutFailuresIsOk() {
        Judgement judgement = RULE.judge(runs(0, null, NOW.minusSeconds(5), Optional.empty()), NOW);
        assertEquals(AccountHealth.OK, judgement.health());
        assertNull(judgement.reason());
        assertTrue(judgement.healthy());
    }

    @Example
    void aWrongBackupPasswordNeedsAttentionAtTheFirstFailure() {
        Judgement judgement = RULE.judge(runs(1, FailureKind.WRONG_PASSWORD, null, Optional.empty()), NOW);
        assertEquals(AccountHealth.NEEDS_ATTENTION, judgement.health());
        assertEquals("wrong-password: the error", judgement.reason());
    }

    @Property
    void everyKindThatRetryingWillNotHealNeedsAttentionAtOnceAndTheOthersOnlyFailAtTheThreshold(
            @ForAll FailureKind kind, @ForAll @IntRange(min = 1, max = 50) int failures, @ForAll @IntRange(min = 1, max = 10) int threshold) {
        Judgement judgement = new HealthRule(threshold).judge(runs(failures, kind, NOW.minusSeconds(60), Optional.empty()), NOW);
        AccountHealth expected = kind.needsAttention() ? AccountHealth.NEEDS_ATTENTION
                : failures >= threshold ? AccountHealth.FAILING : AccountHealth.OK;
        assertEquals(expected, judgement.health(), kind + " x" + failures + " at threshold " + threshold);
    }

    @Example
    void theKindsThatNeedAttentionAreThePasswordTheSourcesRefusalAndARepositoryOrLocationAPersonMustFix() {
        assertEquals("[SOURCE_REFUSED, LOCATION_FULL, LOCATION_UNFIT, WRONG_PASSWORD, REPOSITORY_UNUSABLE, REPOSITORY_DAMAGED]",
                Arrays.toString(Arrays.stream(FailureKind.values()).filter(FailureKind::needsAttention).toArray()));
    }

    @Example
    void transientFailuresAreFailingFromTheThresholdOnWithTheirCountAndError() {
        assertEquals(AccountHealth.OK, RULE.judge(runs(2, FailureKind.LOCATION_UNAVAILABLE, null, Optional.empty()), NOW).health());
        Judgement three = RULE.judge(runs(3, FailureKind.LOCATION_UNAVAILABLE, null, Optional.empty()), NOW);
        assertEquals(AccountHealth.FAILING, three.health());
        assertEquals("3 failures in a row: location-unavailable: the error", three.reason());
    }

    @Example
    void aPollingSourcesFailedChecksCountFromTheFirstOne() {
        SourceCheck down = new SourceCheck(NOW.minusSeconds(600), 3, "vault.example.org unreachable", false);
        Facts facts = new Facts(0, null, null, NOW.minusSeconds(600), down, null, STARTED, Optional.empty());
        Judgement judgement = RULE.judge(facts, NOW);
        assertEquals(AccountHealth.FAILING, judgement.health(), "three failed polls, no failed run yet");
        assertEquals("3 failures in a row: source check: vault.example.org unreachable", judgement.reason());

        SourceCheck once = new SourceCheck(NOW.minusSeconds(600), 1, "unreachable", false);
        assertEquals(AccountHealth.FAILING, new HealthRule(1).judge(
                new Facts(0, null, null, null, once, null, STARTED, Optional.empty()), NOW).health(), "threshold 1: the first failed poll");
    }

    @Example
    void aRefusedApiKeyOnAPollNeedsAttentionAtOnce() {
        SourceCheck refused = new SourceCheck(NOW.minusSeconds(600), 1, "authentication failed", true);
        Judgement judgement = RULE.judge(new Facts(0, null, null, null, refused, null, STARTED, Optional.empty()), NOW);
        assertEquals(AccountHealth.NEEDS_ATTENTION, judgement.health());
        assertEquals("source-refused: authentication failed", judgement.reason());
        SourceCheck healed = new SourceCheck(NOW, 0, null, false);
        assertEquals(AccountHealth.OK, RULE.judge(new Facts(0, null, null, null, healed, null, STARTED, Optional.empty()), NOW).health());
    }

    @Example
    void aLocationThatFailedItsTestNeedsAttentionAndOneThatCannotBeReachedFailsAtTheThreshold() {
        Facts refused = new Facts(0, null, null, null, null, new Refusal("no atomic rename", true, 1), STARTED, Optional.empty());
        assertEquals(new Judgement(AccountHealth.NEEDS_ATTENTION, "location refused: no atomic rename"), RULE.judge(refused, NOW));
        Facts firstTry = new Facts(0, null, null, null, null, new Refusal("nas down", false, 1), STARTED, Optional.empty());
        assertEquals(AccountHealth.OK, RULE.judge(firstTry, NOW).health());
        Facts thirdTry = new Facts(0, null, null, null, null, new Refusal("nas down", false, 3), STARTED, Optional.empty());
        assertEquals(new Judgement(AccountHealth.FAILING, "3 failures in a row: nas down"), RULE.judge(thirdTry, NOW));
    }

    @Property
    void maxAgeMakesAnAccountStaleExactlyWhenItsNewestSuccessIsOlder(
            @ForAll @IntRange(min = 0, max = 100_000) int runAgeSeconds, @ForAll @IntRange(min = 0, max = 100_000) int checkAgeSeconds,
            @ForAll @IntRange(min = 1, max = 100_000) int maxAgeSeconds) {
        Instant run = NOW.minusSeconds(runAgeSeconds);
        Instant check = NOW.minusSeconds(checkAgeSeconds);
        Facts facts = new Facts(0, null, null, run, new SourceCheck(check, 0, null, false), null, STARTED,
                Optional.of(Duration.ofSeconds(maxAgeSeconds)));
        boolean stale = Math.min(runAgeSeconds, checkAgeSeconds) > maxAgeSeconds;
        assertEquals(stale ? AccountHealth.STALE : AccountHealth.OK, RULE.judge(facts, NOW).health());
    }

    @Example
    void anIdleAccountWhoseSourceCheckSucceededIsNotStale() {
        Facts idle = new Facts(0, null, null, NOW.minus(Duration.ofDays(3)), new SourceCheck(NOW.minusSeconds(30), 0, null, false),
                null, STARTED, Optional.of(Duration.ofHours(26)));
        assertEquals(AccountHealth.OK, RULE.judge(idle, NOW).health());
        Facts noChecks = new Facts(0, null, null, NOW.minus(Duration.ofDays(3)), null, null, STARTED, Optional.of(Duration.ofHours(26)));
        Judgement stale = RULE.judge(noChecks, NOW);
        assertEquals(AccountHealth.STALE, stale.health());
        assertEquals("the last successful run or source check was at 2026-12-03T12:00:00Z, longer ago than max-age 26h", stale.reason());
    }

    @Example
    void anAccountNeverBackedUpAgesFromWhenTheHostStartedIt() {
        Facts fresh = new Facts(0, null, null, null, null, null, NOW.minusSeconds(60), Optional.of(Duration.ofMinutes(5)));
        assertEquals(AccountHealth.OK, RULE.judge(fresh, NOW).health());
        Judgement old = RULE.judge(fresh, NOW.plus(Duration.ofMinutes(5)));
        assertEquals(AccountHealth.STALE, old.health());
        assertTrue(old.reason().startsWith("no successful run or source check since the host started the account"), old.reason());
    }

    @Example
    void withoutMaxAgeAnOldSuccessIsFine() {
        assertEquals(AccountHealth.OK, RULE.judge(runs(0, null, NOW.minus(Duration.ofDays(400)), Optional.empty()), NOW).health());
    }

    @Example
    void failingOutranksStaleAndNeedsAttentionOutranksBoth() {
        Optional<Duration> maxAge = Optional.of(Duration.ofHours(1));
        Instant old = NOW.minus(Duration.ofDays(2));
        assertEquals(AccountHealth.FAILING, RULE.judge(runs(5, FailureKind.SOURCE_UNAVAILABLE, old, maxAge), NOW).health());
        assertEquals(AccountHealth.NEEDS_ATTENTION, RULE.judge(runs(5, FailureKind.LOCATION_FULL, old, maxAge), NOW).health());
        assertEquals(AccountHealth.STALE, RULE.judge(runs(1, FailureKind.SOURCE_UNAVAILABLE, old, maxAge), NOW).health());
    }

    @Example
    void aThresholdBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HealthRule(0));
    }
}
