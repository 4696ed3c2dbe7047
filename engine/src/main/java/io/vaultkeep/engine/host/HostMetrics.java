package io.vaultkeep.engine.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.account.EngineMeters;
import io.vaultkeep.engine.account.RunPermits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The host's Prometheus metrics, gathered from what the host already has rather than from inside
 * the account actors: the accounts' statuses and the run permits (read at each scrape) and the
 * accounts' notices (counted as they come). Labels are account ids, states and failure kinds only:
 * never an error message, which could quote a server or a path an operator would rather not export.
 *
 * <pre>
 * vaultkeep_account_last_success_timestamp_seconds{account}  last commit or unchanged check (absent: never)
 * vaultkeep_account_consecutive_failures{account}
 * vaultkeep_account_state{account,state}                      1 for the account's state, 0 for the others
 * vaultkeep_account_health{account,health}                    1 for the account's health verdict, 0 for the others
 * vaultkeep_account_written_bytes_total{account}              bytes of the objects its runs and prunes created
 * vaultkeep_account_written_objects_total{account}
 * vaultkeep_account_snapshots{account}                        snapshots at the location (a listing after each commit and prune)
 * vaultkeep_account_repository_size_bytes{account}            bytes at the location (the same listing)
 * vaultkeep_account_run_duration_seconds{account}             histogram (see EngineMeters)
 * vaultkeep_journal_write_seconds                             histogram (see EngineMeters)
 * vaultkeep_source_check_seconds{outcome}                     histogram of the polling sources' checks
 * vaultkeep_snapshots_committed_total{account}
 * vaultkeep_runs_unchanged_total{account}
 * vaultkeep_backup_failures_total{account,kind}
 * vaultkeep_snapshots_pruned_total{account}
 * vaultkeep_runs_in_flight, vaultkeep_runs_queued, vaultkeep_runs_limit
 * jvm_*, process_*, system_*                                  Micrometer's JVM binders
 * </pre>
 */
public final class HostMetrics implements AutoCloseable {

    /** Prometheus' text exposition format, as {@link PrometheusMeterRegistry#scrape()} writes it. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String ACCOUNT = "account";
    /** Few buckets: a histogram's series are buckets times label values. */
    private static final Duration[] SOURCE_CHECK_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The statuses of the last scrape, which the account gauges read. */
    private final Map<String, AccountStatus> accounts = new ConcurrentHashMap<>();
    private volatile RunPermits.PermitCounts permits = new RunPermits.PermitCounts(0, 0, 0);
    /** What the last listing of each account's location found. */
    private final Map<String, long[]> repositories = new ConcurrentHashMap<>();
    private volatile EngineMeters engineMeters;

    public HostMetrics() {
        // names Prometheus' linter (promtool check metrics) refuses: process_cpu_time_ns_total (an
        // abbreviated unit; process_cpu_usage tells the same) and system_cpu_count (a _count suffix on a gauge)
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("vaultkeep.runs.in.flight", this, m -> m.permits.inUse())
                .description("Backup and prune runs holding one of the host's run permits").register(registry);
        Gauge.builder("vaultkeep.runs.queued", this, m -> m.permits.waiting())
                .description("Runs due and waiting for a run permit (max-concurrent-runs)").register(registry);
        Gauge.builder("vaultkeep.runs.limit", this, m -> m.permits.limit())
                .description("The host's run permits (max-concurrent-runs)").register(registry);
    }

    /** The account actors' own measures (journal writes, run durations) show here from now on. */
    public void bind(EngineMeters meters) {
        meters.addRegistry(registry);
        engineMeters = meters;
    }

    /** A run or prune of the account created an object of {@code bytes}. */
    public void written(String accountId, long bytes) {
        writtenBytes(accountId).increment(bytes);
        writtenObjects(accountId).increment();
    }

    /** What a listing of the account's location found. */
    public void repository(String accountId, long snapshots, long bytes) {
        repositories.put(accountId, new long[] {snapshots, bytes});
    }

    /** A polling source asked its origin (a Bitwarden revision date): how long the answer took, or the failure. */
    public void sourceCheck(Duration took, boolean ok) {
        Timer.builder("vaultkeep.source.check").description("Polls of the sources' origins (Bitwarden revision date), by outcome")
                .tag("outcome", ok ? "ok" : "failed").serviceLevelObjectives(SOURCE_CHECK_BUCKETS)
                .register(registry).record(took);
    }

    /** Counts what an account announced; called on the engine's notice thread. */
    public void record(BackupNotice notice) {
        String id = notice.accountId();
        if (notice instanceof BackupNotice.SnapshotCommitted) {
            committed(id).increment();
        } else if (notice instanceof BackupNotice.Unchanged) {
            unchanged(id).increment();
        } else if (notice instanceof BackupNotice.BackupFailed f) {
            Counter.builder("vaultkeep.backup.failures").description("Failed backup runs, by failure kind")
                    .tag(ACCOUNT, id).tag("kind", HealthRule.kindName(f.kind()))
                    .register(registry).increment();
        } else if (notice instanceof BackupNotice.SnapshotsPruned p) {
            pruned(id).increment(p.deletedSnapshots());
        }
    }

    /**
     * The exposition for these statuses and permit counts (empty when the permits did not answer:
     * the last counts stay). Accounts no longer listed lose their series.
     */
    public synchronized String scrape(List<AccountStatus> statuses, Optional<RunPermits.PermitCounts> permitCounts) {
        permitCounts.ifPresent(counts -> permits = counts);
        Set<String> listed = statuses.stream().map(AccountStatus::id).collect(Collectors.toSet());
        for (String gone : Set.copyOf(accounts.keySet())) {
            if (!listed.contains(gone)) {
                accounts.remove(gone);
                repositories.remove(gone);
                if (engineMeters != null) {
                    engineMeters.forget(gone);
                }
                List<Meter> series = registry.getMeters().stream().filter(m -> gone.equals(m.getId().getTag(ACCOUNT))).toList();
                series.forEach(registry::remove);
            }
        }
        for (AccountStatus status : statuses) {
            if (accounts.put(status.id(), status) == null) {
                register(status.id());
            }
        }
        return registry.scrape();
    }

    private void register(String id) {
        Gauge.builder("vaultkeep.account.last.success.timestamp", accounts, all -> lastSuccess(all.get(id)))
                .baseUnit("seconds").description("When a run last found the vault backed up: a commit, or an unchanged check")
                .tag(ACCOUNT, id).register(registry);
        Gauge.builder("vaultkeep.account.consecutive.failures", accounts, all -> failures(all.get(id)))
                .description("Failed runs since the last success").tag(ACCOUNT, id).register(registry);
        for (AccountActivity state : AccountActivity.values()) {
            Gauge.builder("vaultkeep.account.state", accounts, all -> all.get(id) != null && all.get(id).state() == state ? 1 : 0)
                    .description("1 for what the account is doing now, 0 for the other states")
                    .tag(ACCOUNT, id).tag("state", state.wireName()).register(registry);
        }
        for (AccountHealth health : AccountHealth.values()) {
            Gauge.builder("vaultkeep.account.health", accounts, all -> all.get(id) != null && all.get(id).health() == health ? 1 : 0)
                    .description("1 for the account's health verdict (ok, failing, needs-attention, stale), 0 for the others")
                    .tag(ACCOUNT, id).tag("health", health.wireName()).register(registry);
        }
        Gauge.builder("vaultkeep.account.snapshots", repositories, all -> all.containsKey(id) ? all.get(id)[0] : Double.NaN)
                .description("Snapshots at the account's location, as last listed (after each commit and prune)")
                .tag(ACCOUNT, id).register(registry);
        Gauge.builder("vaultkeep.account.repository.size", repositories, all -> all.containsKey(id) ? all.get(id)[1] : Double.NaN)
                .baseUnit("bytes").description("Bytes at the account's location, as last listed (after each commit and prune)")
                .tag(ACCOUNT, id).register(registry);
        // at 0 from the start, so that rate() and increase() see the first run
        committed(id);
        unchanged(id);
        pruned(id);
        writtenBytes(id);
        writtenObjects(id);
    }

    private Counter writtenBytes(String id) {
        return Counter.builder("vaultkeep.account.written").baseUnit("bytes")
                .description("Bytes of the objects the account's runs and prunes created at its location").tag(ACCOUNT, id).register(registry);
    }

    private Counter writtenObjects(String id) {
        return Counter.builder("vaultkeep.account.written.objects")
                .description("Objects the account's runs and prunes created at its location").tag(ACCOUNT, id).register(registry);
    }

    private Counter committed(String id) {
        return Counter.builder("vaultkeep.snapshots.committed").description("Snapshots committed").tag(ACCOUNT, id).register(registry);
    }

    private Counter unchanged(String id) {
        return Counter.builder("vaultkeep.runs.unchanged").description("Runs that found the vault unchanged: nothing committed")
                .tag(ACCOUNT, id).register(registry);
    }

    private Counter pruned(String id) {
        return Counter.builder("vaultkeep.snapshots.pruned").description("Snapshots deleted by retention").tag(ACCOUNT, id).register(registry);
    }

    /** NaN (no sample) for an account that never succeeded: 0 would read as "last success in 1970". */
    private static double lastSuccess(AccountStatus status) {
        if (status == null) {
            return Double.NaN;
        }
        Instant last = status.lastCheckedAt() != null ? status.lastCheckedAt() : status.lastSnapshotAt();
        return last == null ? Double.NaN : last.toEpochMilli() / 1000.0;
    }

    private static double failures(AccountStatus status) {
        return status == null ? Double.NaN : status.consecutiveFailures();
    }

    @Override
    public void close() {
        if (engineMeters != null) {
            engineMeters.removeRegistry(registry);
        }
        gc.close();
        registry.close();
    }
}
