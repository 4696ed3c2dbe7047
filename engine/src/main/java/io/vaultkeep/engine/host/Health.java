package io.vaultkeep.engine.host;

import java.util.List;

/**
 * Whether the host works: {@code GET /health} answers 200 {@code {"status":"ok"}} when there are
 * no reasons, 503 {@code {"status":"unhealthy","reasons":[…]}} otherwise. Reasons are host-wide
 * (the journal is unreachable, the actor system is shutting down), not one account's failures,
 * which show in that account's status.
 */
public record Health(List<String> reasons) {

    public Health {
        reasons = List.copyOf(reasons);
    }

    public static Health ok() {
        return new Health(List.of());
    }

    public static Health unhealthy(String... reasons) {
        if (reasons.length == 0) {
            throw new IllegalArgumentException("an unhealthy host needs a reason");
        }
        return new Health(List.of(reasons));
    }

    public boolean healthy() {
        return reasons.isEmpty();
    }
}
