package io.vaultkeep.engine.host;

import io.vaultkeep.engine.source.SourceCheckListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the host's polling sources last learned from their origins, by account: the health rule's
 * {@link HealthRule.SourceCheck}s. Kept by the host, not journaled: a restarted source checks again at once.
 */
final class SourceChecks implements SourceCheckListener {

    private final Map<String, HealthRule.SourceCheck> checks = new ConcurrentHashMap<>();
    private final HostMetrics metrics;

    SourceChecks(HostMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void checked(String accountId, Instant at, Duration took) {
        checks.put(accountId, new HealthRule.SourceCheck(at, 0, null, false));
        metrics.sourceCheck(took, true);
    }

    @Override
    public void checkFailed(String accountId, Instant at, Duration took, String message, boolean needsAttention) {
        checks.merge(accountId, new HealthRule.SourceCheck(null, 1, message, needsAttention),
                (old, failed) -> new HealthRule.SourceCheck(old.lastSuccessAt(), old.failures() + 1, message, needsAttention));
        metrics.sourceCheck(took, false);
    }

    Optional<HealthRule.SourceCheck> of(String accountId) {
        return Optional.ofNullable(checks.get(accountId));
    }

    /** The account's source is replaced or gone: what the old one learned no longer speaks for it. */
    void forget(String accountId) {
        checks.remove(accountId);
    }
}
