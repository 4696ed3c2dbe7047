package io.vaultkeep.engine.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The host's notifications ({@code vaultkeep.notify} and each account's {@code notify}).
 *
 * @param hostTargets    targets every account's notices go to
 * @param accountTargets an account's own targets, in addition to the host's
 * @param attempts       tries per notice and target before it is given up (logged once); {@code attempts}, default 6
 * @param backoff        wait before the first retry, doubled each time up to {@code maxBackoff}; {@code backoff}, default 2s
 * @param maxBackoff     {@code max-backoff}, default 5m
 * @param attentionAfter failures in a row after which an account needs attention; {@code attention-after}, default 3
 */
public record NotifySettings(List<NotifyTarget> hostTargets, Map<String, List<NotifyTarget>> accountTargets,
                             int attempts, Duration backoff, Duration maxBackoff, int attentionAfter) {

    public static final int DEFAULT_ATTEMPTS = 6;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    public static final int DEFAULT_ATTENTION_AFTER = 3;

    public static final NotifySettings NONE = new NotifySettings(List.of(), Map.of(), DEFAULT_ATTEMPTS, DEFAULT_BACKOFF,
            DEFAULT_MAX_BACKOFF, DEFAULT_ATTENTION_AFTER);

    public NotifySettings {
        hostTargets = List.copyOf(hostTargets);
        accountTargets = Map.copyOf(accountTargets);
    }

    /** Whether anything is to be notified at all (else no notifier runs). */
    public boolean any() {
        return !hostTargets.isEmpty() || accountTargets.values().stream().anyMatch(t -> !t.isEmpty());
    }

    /** The targets an account's {@code event} goes to: the host's and the account's that take it. */
    public List<NotifyTarget> targetsOf(String accountId, NotifyEvent event) {
        return java.util.stream.Stream.concat(hostTargets.stream(), accountTargets.getOrDefault(accountId, List.of()).stream())
                .filter(t -> t.takes(event)).toList();
    }

    /** Overwrites the SMTP passwords; the host does it when it stops. */
    public void wipeSecrets() {
        java.util.stream.Stream.concat(hostTargets.stream(), accountTargets.values().stream().flatMap(List::stream))
                .filter(t -> t instanceof NotifyTarget.Smtp)
                .forEach(t -> ((NotifyTarget.Smtp) t).password().ifPresent(Secret::wipe));
    }

    /** The wait before retry {@code retry} (1 for the first). */
    public Duration backoffBefore(int retry) {
        Duration wait = backoff;
        for (int i = 1; i < retry && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
