package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.lock.LockRule;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code --lock-wait}: how long a command that writes waits for another writer's lock (exit 11 after). */
public final class LockWaitOption {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long to wait for another writer's lock before giving up with exit code 11: "
                    + "a number with ms, s, m or h (seconds without); 0 gives up at once (default: ${DEFAULT-VALUE}).")
    String lockWait;

    /** The writer lock's rule with this wait; its expiry and polling stay the default. */
    LockRule rule() {
        return new LockRule(LockRule.DEFAULT.expiry(), parse(lockWait), LockRule.DEFAULT.poll());
    }

    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageError("--lock-wait must be a number with ms, s, m or h (e.g. 30s, 2m, 0), not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
