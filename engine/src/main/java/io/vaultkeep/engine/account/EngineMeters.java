package io.vaultkeep.engine.account;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What the account actors measure, one per actor system: journal writes and run durations, into a
 * composite registry that records nothing until a registry is added to it ({@link #addRegistry}: the
 * host's Prometheus registry, or an embedder's). Labels are account ids only.
 *
 * <pre>
 * vaultkeep_journal_write_seconds                 a decision's events, from persist to journaled (histogram)
 * vaultkeep_account_run_duration_seconds{account}  a run, from asking the source for the vault to its commit,
 *                                                  unchanged check or failure (histogram)
 * </pre>
 */
public final class EngineMeters implements Extension {

    private static final Id ID = new Id();
    /** Few buckets: a per-account histogram's series are buckets times accounts. */
    private static final Duration[] RUN_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)};
    private static final Duration[] JOURNAL_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();

    private EngineMeters() {}

    public static EngineMeters get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** From now on, what is measured is also recorded in {@code target}. */
    public void addRegistry(MeterRegistry target) {
        registry.add(target);
    }

    public void removeRegistry(MeterRegistry target) {
        registry.remove(target);
    }

    /** Registered at the first write, not before: a registry added while none exists takes them all without a warning. */
    void journalWrite(Duration took) {
        Timer.builder("vaultkeep.journal.write").description("Journal writes of the accounts' events, persist to journaled")
                .serviceLevelObjectives(JOURNAL_BUCKETS).register(registry).record(took);
    }

    void run(String accountId, Duration took) {
        Timer.builder("vaultkeep.account.run.duration").description("Backup runs, from asking the source for the vault to their end")
                .tag("account", accountId).serviceLevelObjectives(RUN_BUCKETS).register(registry).record(took);
    }

    /** The account is gone from the host: its series go (and come back fresh if it returns). */
    public void forget(String accountId) {
        List<Meter> series = registry.getMeters().stream().filter(m -> accountId.equals(m.getId().getTag("account"))).toList();
        series.forEach(registry::remove);
    }

    private static final class Id extends ExtensionId<EngineMeters> {
        @Override
        public EngineMeters createExtension(ActorSystem<?> system) {
            return new EngineMeters();
        }
    }
}
