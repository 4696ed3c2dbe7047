package io.vaultkeep.engine.host;

import java.util.List;

/**
 * Whether the host works: {@code GET /health} answers 200 {@code {"status":"ok"}} when there are
 * no reasons, 503 {@code {"status":"unhealthy","reasons":[…],"accounts":[…]}} otherwise. Reasons are
 * host-wide (the host is starting) or an account's that is not healthy ({@link HealthRule}): each
 * such account is also in {@code accounts} with its verdict and why.
 */
public record Health(List<String> reasons, List<UnhealthyAccount> accounts) {

    /** An account that makes the host unhealthy: its id, verdict and why. */
    public record UnhealthyAccount(String id, AccountHealth health, String reason) {}

    public Health {
        reasons = List.copyOf(reasons);
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    public Health(List<String> reasons) {
        this(reasons, List.of());
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

    /** The host's health from its accounts' statuses: unhealthy while any is not ok. */
    public static Health of(List<AccountStatus> accounts) {
        List<UnhealthyAccount> unhealthy = accounts.stream().filter(a -> !a.healthy())
                .map(a -> new UnhealthyAccount(a.id(), a.health(), a.healthReason())).toList();
        List<String> reasons = unhealthy.stream()
                .map(a -> "account " + a.id() + ": " + a.health().words() + (a.reason() == null ? "" : ": " + a.reason())).toList();
        return new Health(reasons, unhealthy);
    }

    public boolean healthy() {
        return reasons.isEmpty();
    }
}
