package io.vaultkeep.engine.host;

import io.vaultkeep.engine.cluster.ClusterMember;
import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfigLoader;
import java.util.function.UnaryOperator;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.cluster.ClusterEngineConfig;
import io.vaultkeep.engine.cluster.ClusterMembers;
import io.vaultkeep.engine.config.AccountConfig;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.LocationConfig;
import io.vaultkeep.engine.config.Retention;
import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SourceConfig;
import io.vaultkeep.engine.datadir.DataDir;
import io.vaultkeep.engine.datadir.DataDirLock;
import io.vaultkeep.engine.registration.RegistrationScope;
import io.vaultkeep.engine.source.ExportFileSource;
import io.vaultkeep.engine.source.ExportFolderWatcher;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.source.VaultSource;
import io.vaultkeep.engine.source.bitwarden.BitwardenSources;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.account.EngineMeters;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-alone host behind {@code vaultkeep run}: the engine on the embedded default (a single
 * node, the H2 journal in the data folder; or a node of a cluster), every configured account
 * registered after its location passes Keyguard's location test (on a cluster: where it runs), and
 * the loopback status endpoint.
 */
public final class VaultKeepHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VaultKeepHost.class);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How often a location that could not be reached is tried again: {@code first}, doubling up to
     * {@code max}. A server that is down when the host starts (a NAS rebooting) is not given up on.
     */
    public record LocationRetry(Duration first, Duration max) {
        public static final LocationRetry DEFAULT = new LocationRetry(Duration.ofSeconds(30), Duration.ofMinutes(5));

        Duration after(int failures) {
            long millis = first.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
            return Duration.ofMillis(Math.min(millis, max.toMillis()));
        }
    }

    /** What the host tells whoever started it while accounts start (at start, and when a retried location answers). */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void accountStarted(String id) {}

            @Override
            public void accountNotStarted(String id, String reason) {}
        };

        void accountStarted(String id);

        void accountNotStarted(String id, String reason);
    }

    /** What runs: the host-wide settings it started with and the accounts of the last good (re)load. */
    private volatile HostConfig config;
    /** The same accounts by id: the status of thousands of accounts looks each one up. */
    private volatile Map<String, AccountConfig> accountsById;
    /** Account settings a reload replaced or removed: their secrets are wiped when the host stops, not while a source may still read them. */
    private final List<AccountConfig> retired = new ArrayList<>();
    private final UnaryOperator<String> environment;
    private final DataDirLock lock;
    private final StatusServer statusServer;
    private final LocationRetry locationRetry;
    private final Progress progress;
    private final HostMetrics metrics = new HostMetrics();
    private final SourceChecks sourceChecks = new SourceChecks(metrics);
    private final RepositoryCensus census = new RepositoryCensus(metrics);
    /** Accounts not running: why, whether that needs a person (a location that failed its test), how often tried. */
    private final Map<String, HealthRule.Refusal> refused = new ConcurrentHashMap<>();
    /** When the host last started each account: the age of an account never backed up, for max-age. */
    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    private final ScheduledExecutorService locationChecks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vaultkeep-location-retry");
        thread.setDaemon(true);
        return thread;
    });
    private volatile VaultKeepEngine engine;
    private volatile io.vaultkeep.engine.notify.JournalNotifier notifier;
    /** Every configured account has been started (or refused): until then the host is not healthy. */
    private volatile boolean accountsStarted;

    private VaultKeepHost(HostConfig config, DataDirLock lock, StatusToken token, LocationRetry locationRetry,
                          Progress progress, UnaryOperator<String> environment) throws IOException {
        this.config = config;
        this.accountsById = byId(config.accounts());
        this.environment = environment;
        this.lock = lock;
        this.locationRetry = locationRetry;
        this.progress = progress;
        this.statusServer = StatusServer.start(config.status(), token, new Provider());
    }

    public static VaultKeepHost start(HostConfig config) throws IOException {
        return start(config, LocationRetry.DEFAULT, Progress.NONE);
    }

    /**
     * Starts the host. What another host could hold is taken first, so that a second host on the
     * same data-dir or port is refused at once, before anything of the engine starts: the data-dir
     * (made private, then locked), the status token, the status port. Then the engine, then the
     * accounts: their locations tested at once ({@code io-threads} at a time), each account started
     * (or refused) in the config's order and reported to {@code progress}. A node of a cluster
     * starts every account at once: each location is tested on the node that runs the account, at
     * its first use there ({@link TestedLocation}).
     */
    public static VaultKeepHost start(HostConfig config, LocationRetry locationRetry, Progress progress) throws IOException {
        return start(config, locationRetry, progress, System::getenv);
    }

    /** As above; {@code environment} resolves the config's {@code *-env} secrets again on {@link #reload()}. */
    public static VaultKeepHost start(HostConfig config, LocationRetry locationRetry, Progress progress,
                                      UnaryOperator<String> environment) throws IOException {
        DataDirLock lock = DataDirLock.acquire(DataDir.prepare(config.dataDir()));
        VaultKeepHost host;
        try {
            host = new VaultKeepHost(config, lock, StatusToken.create(config.dataDir()), locationRetry, progress, environment);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            host.startEngine();
            return host;
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
    }

    private void startEngine() throws IOException {
        EngineConfig engineConfig = EngineConfig.embedded(config.dataDir())
                .withMaxConcurrentRuns(config.limits().maxConcurrentRuns())
                .withBlockingThreads(config.limits().ioThreads())
                .withDebounce(config.debounce().quiet(), config.debounce().maxDelay())
                .withAttentionRetryCeiling(config.health().attentionRetryCeiling())
                // every node reads the same accounts list and registers it with the secrets it read itself:
                // replicating the ids would add nothing but let one node's reload stop accounts on all of them
                .with(RegistrationScope.SETTING, "node");
        engineConfig = ClusterEngineConfig.apply(config.cluster(), engineConfig).withOverrides(config.pekko());
        engine = VaultKeepEngine.start(engineConfig);
        // before any account starts, so that no commit goes unlogged or uncounted
        metrics.bind(EngineMeters.get(engine.system()));
        engine.subscribe(metrics::record);
        engine.subscribe(this::countRepository);
        engine.subscribe(NoticeLog::log);
        try {
            notifier = io.vaultkeep.engine.notify.JournalNotifier.startIfAny(engine.system(), config.notifications()).orElse(null);
        } catch (java.sql.SQLException e) {
            throw new IOException("notifications cannot keep their place in the journal database: " + e.getMessage(), e);
        }
        if (clustered()) {
            // every node runs the same accounts list: each account's location is tested where it runs (TestedLocation)
            config.accounts().forEach(this::startAccount);
        } else {
            // each location's test is a flushed write and a delete: thousands of accounts test theirs at once
            LocationTest.testAll(config.accounts(), AccountConfig::location, config.limits().ioThreads(),
                    (account, test) -> admit(account, 0, test));
        }
        accountsStarted = true;
    }

    /** The running settings of an account, if the last good (re)load has it. */
    private Optional<AccountConfig> accountConfig(String id) {
        return Optional.ofNullable(accountsById.get(id));
    }

    private static Map<String, AccountConfig> byId(List<AccountConfig> accounts) {
        Map<String, AccountConfig> byId = new java.util.HashMap<>(accounts.size() * 2);
        accounts.forEach(account -> byId.put(account.id(), account));
        return Map.copyOf(byId);
    }

    public VaultKeepEngine engine() {
        return engine;
    }

    /**
     * Re-reads the config file (SIGHUP, {@code POST /reload}): accounts added start, removed ones
     * stop, changed ones restart with their new settings once their work in progress is done
     * (unchanged ones are not touched). Host-wide settings (data-dir, limits, status, cluster,
     * debounce, log, pekko) apply only at a restart: they are kept and named in the answer.
     *
     * @throws ConfigException the file is broken: nothing changed, the running accounts go on
     */
    public synchronized ConfigChanges reload() throws ConfigException {
        HostConfig running = config;
        HostConfig next = HostConfigLoader.load(running.configFile(), environment);
        ConfigChanges changes = ConfigChanges.between(running, next);
        List<AccountConfig> accounts = new ArrayList<>();
        for (AccountConfig account : next.accounts()) {
            // an unchanged account keeps its settings object: a location retry pending for it stays valid
            accounts.add(changes.unchanged().contains(account.id()) ? accountsById.get(account.id()) : account);
        }
        for (AccountConfig account : running.accounts()) {
            if (!changes.unchanged().contains(account.id())) {
                retired.add(account);
            }
        }
        // the new copies of unchanged accounts are not used: their secrets go now
        next.accounts().stream().filter(a -> changes.unchanged().contains(a.id())).forEach(VaultKeepHost::wipeSecrets);
        config = new HostConfig(running.configFile(), running.dataDir(), running.limits(), running.status(),
                running.cluster(), running.debounce(), running.log(), running.health(), accounts, running.pekko(),
                running.notifications());
        accountsById = byId(accounts);
        for (String id : changes.removed()) {
            refused.remove(id);
            startedAt.remove(id);
            sourceChecks.forget(id);
            engine.remove(id);
            LOG.info("account {}: removed from {}; stopped", id, running.configFile());
        }
        for (AccountConfig account : accounts) {
            if (changes.added().contains(account.id()) || changes.changed().contains(account.id())) {
                // the location test may wait on a slow server: not on the caller's thread
                locationChecks.execute(() -> register(account, 0));
            }
        }
        LOG.info("config {} reloaded: added {}, removed {}, changed {}, {} unchanged", running.configFile(),
                changes.added(), changes.removed(), changes.changed(), changes.unchanged().size());
        if (!changes.needRestart().isEmpty()) {
            LOG.warn("config {}: {} changed; that applies only when the host restarts", running.configFile(),
                    String.join(", ", changes.needRestart()));
        }
        return changes;
    }

    public int statusPort() {
        return statusServer.port();
    }

    /**
     * Accounts not running, with the reason: their location failed its test (shown as failed, not
     * run), or could not be reached yet (tried again with backoff until it can).
     */
    public Map<String, String> refusedAccounts() {
        Map<String, String> reasons = new java.util.HashMap<>();
        refused.forEach((id, refusal) -> reasons.put(id, refusal.reason()));
        return Map.copyOf(reasons);
    }

    /**
     * Registers the account once its location passes Keyguard's location test. A location that
     * cannot be opened (unreachable, refusing, timing out) is tried again later; one that answers but
     * fails the test (no atomic writes, reads back wrong) is refused until the host restarts.
     */
    private void register(AccountConfig account, int failures) {
        if (locationChecks.isShutdown() || accountConfig(account.id()).orElse(null) != account) {
            return; // the host stops, or a reload replaced or removed these settings since
        }
        if (clustered()) {
            startAccount(account);
        } else {
            admit(account, failures, LocationTest.of(account.location()));
        }
    }

    /** A node of a cluster: its accounts run on whichever node sharding picks, and are tested there. */
    private boolean clustered() {
        return config.cluster().node().isPresent();
    }

    /** Starts the account if its location passed its test; else refuses it, and tries again later if it was unreachable. */
    private void admit(AccountConfig account, int failures, LocationTest test) {
        LocationConfig location = account.location();
        if (test instanceof LocationTest.Failed failed) {
            refuse(account.id(), failed.reason(), true, failures + 1);
            return;
        }
        if (test instanceof LocationTest.Unreachable unreachable) {
            Duration wait = locationRetry.after(failures + 1);
            refuse(account.id(), unreachable.reason() + "; trying again at "
                    + Instant.now().plus(wait).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), false, failures + 1);
            try {
                locationChecks.schedule(() -> register(account, failures + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the host is stopping
            }
            return;
        }
        if (failures > 0) {
            LOG.info("account {}: location {} is reachable again; starting the account", account.id(), location.describe());
        }
        startAccount(account);
    }

    /**
     * Registers the account with the engine. On one node its location has passed its test already;
     * on a node of a cluster it is tested at its first open on the node that runs the account.
     */
    private void startAccount(AccountConfig account) {
        LocationConfig location = account.location();
        char[] password = account.backupPassword().map(Secret::copy).orElse(null);
        int retention = account.retention() instanceof Retention.Keep keep ? keep.snapshots() : 0; // Never: 0
        VaultSource.Factory source;
        if (account.source() instanceof SourceConfig.ExportFolder f) {
            source = ExportFileSource.factory(f.folder(), account.id(), account.includeAttachments(),
                    f.exportPassword().<java.util.function.Supplier<char[]>>map(secret -> secret::copy).orElse(null),
                    new ExportFolderWatcher.Timing(f.settleTime(), f.rescanInterval()));
        } else if (account.source() instanceof SourceConfig.Bitwarden b) {
            source = BitwardenSources.factory(account.id(), b.account(), account.includeAttachments(), sourceChecks);
        } else {
            source = new PushVaultSource(); // the engine's push(id, vault) feeds it
        }
        try {
            sourceChecks.forget(account.id()); // the new source checks afresh
            AccountSettings.LocationOpener opener;
            if (clustered()) {
                // counted for the metrics on the node that runs the account, once its location passed there
                opener = new TestedLocation(location::open, () -> census.count(account.id(), location::open));
            } else {
                opener = location::open;
                census.count(account.id(), location::open);
            }
            AccountSettings.LocationOpener counted = () -> new CountingStore(opener.open(), account.id(), metrics);
            engine.register(new AccountSettings(account.id(), counted, password, retention, account.includeAttachments(), source));
            startedAt.put(account.id(), Instant.now());
            refused.remove(account.id());
            progress.accountStarted(account.id());
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    /** After a commit or a prune the location holds other snapshots and bytes: counted again for the metrics. */
    private void countRepository(BackupNotice notice) {
        if (notice instanceof BackupNotice.SnapshotCommitted || notice instanceof BackupNotice.SnapshotsPruned) {
            accountConfig(notice.accountId()).ifPresent(account -> census.count(account.id(), account.location()::open));
        }
    }

    private void refuse(String id, String reason, boolean needsAttention, int attempts) {
        refused.put(id, new HealthRule.Refusal(reason, needsAttention, attempts));
        LOG.error("account {}: {}", id, reason);
        progress.accountNotStarted(id, reason);
    }

    /** The status endpoint's view: the engine's statuses, and the accounts refused at start. */
    private final class Provider implements HostStatusProvider {
        @Override
        public List<AccountStatus> accounts() {
            List<AccountStatus> all = new ArrayList<>();
            VaultKeepEngine engine = started();
            Instant now = Instant.now();
            if (config.cluster().node().isPresent()) {
                all.addAll(clusterStatuses(engine, now));
            } else {
                for (AccountEntityStatus status : engineStatuses()) {
                    all.add(judged(status, now));
                }
            }
            refused.forEach((id, refusal) -> all.add(refusedStatus(id, refusal, now)));
            all.sort(java.util.Comparator.comparing(AccountStatus::id));
            return all;
        }

        @Override
        public Optional<AccountStatus> account(String id) {
            VaultKeepEngine engine = started();
            HealthRule.Refusal refusal = refused.get(id);
            if (refusal != null) {
                return Optional.of(refusedStatus(id, refusal, Instant.now()));
            }
            if (!engine.accountIds().contains(id)) {
                return Optional.empty();
            }
            try {
                return Optional.of(judged(engine.status(id).toCompletableFuture().get(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                        Instant.now()));
            } catch (Exception e) {
                throw new IllegalStateException("the account " + id + " did not answer within " + STATUS_TIMEOUT, e);
            }
        }

        @Override
        public boolean requestBackupNow(String id) {
            VaultKeepEngine engine = started();
            if (!engine.accountIds().contains(id)) {
                return false;
            }
            engine.backupNow(id);
            return true;
        }

        @Override
        public ConfigChanges reload() throws ConfigException {
            started();
            return VaultKeepHost.this.reload();
        }

        @Override
        public Health health() {
            if (engine == null || !accountsStarted) {
                return Health.unhealthy("the host is starting");
            }
            try {
                return Health.of(accounts());
            } catch (IllegalStateException e) {
                return Health.unhealthy(e.getMessage()); // accounts that do not answer are not a healthy host
            }
        }

        @Override
        public Optional<io.vaultkeep.engine.host.page.RepositoryView> repository(String id, java.time.Instant now) throws IOException {
            Optional<AccountConfig> account = accountConfig(id);
            if (account.isEmpty()) {
                return Optional.empty();
            }
            int retention = account.get().retention() instanceof Retention.Keep keep ? keep.snapshots() : 0;
            char[] password = account.get().backupPassword().map(Secret::copy).orElse(null);
            try (io.vaultkeep.storage.store.ObjectStore store = account.get().location().open()) {
                return Optional.of(io.vaultkeep.engine.host.page.RepositoryReader.read(store, password, retention, now));
            } finally {
                if (password != null) {
                    java.util.Arrays.fill(password, '\0');
                }
            }
        }

        @Override
        public List<ClusterMember> members() {
            return config.cluster().node().isPresent() ? ClusterMembers.of(started().system()) : List.of();
        }

        @Override
        public Optional<String> metrics() {
            Optional<io.vaultkeep.engine.account.RunPermits.PermitCounts> permits;
            try {
                permits = Optional.of(started().runPermitCounts().toCompletableFuture().get(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                permits = Optional.empty(); // the last counts stay; the accounts' series still tell
            }
            return Optional.of(metrics.scrape(accounts(), permits));
        }

        /**
         * Every account's status, each one that does not answer in time shown as not answering: in a
         * cluster, the accounts of a lost node do so until they run on another, and the others still show.
         */
        private List<AccountStatus> clusterStatuses(VaultKeepEngine engine, Instant now) {
            List<String> ids = engine.accountIds();
            List<CompletableFuture<AccountStatus>> asks = ids.stream().map(id -> engine.status(id).toCompletableFuture()
                    .thenApply(status -> judged(status, now))
                    .completeOnTimeout(null, STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null)).toList();
            List<AccountStatus> statuses = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                AccountStatus status = asks.get(i).join();
                statuses.add(status != null ? status : new AccountStatus(ids.get(i), AccountActivity.NOT_ANSWERING, null, null,
                        "no answer within " + STATUS_TIMEOUT.toSeconds() + "s (its node may be lost; it moves to another)",
                        0, null, null, List.of(), null));
            }
            return statuses;
        }

        private VaultKeepEngine started() {
            VaultKeepEngine started = engine;
            if (started == null) {
                throw new HostStartingException();
            }
            return started;
        }

        private List<AccountEntityStatus> engineStatuses() {
            try {
                return started().statuses().toCompletableFuture().get(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the accounts did not answer within " + STATUS_TIMEOUT, e);
            }
        }
    }

    /** The engine's status with the health rule's verdict on it. */
    private AccountStatus judged(AccountEntityStatus status, Instant now) {
        // where an account runs is news only in a cluster of several: a host alone shows what it always did
        AccountEntityStatus s = config.cluster().node().isPresent() ? status : status.onNode(null);
        Optional<HealthRule.SourceCheck> check = sourceChecks.of(s.accountId());
        Optional<Duration> maxAge = accountConfig(s.accountId()).flatMap(AccountConfig::maxAge);
        HealthRule.Facts facts = new HealthRule.Facts(s.consecutiveFailures(), s.lastErrorKind(), s.lastError(),
                latest(s.lastCheckedAt(), s.lastSnapshotAt()), check.orElse(null), null,
                startedAt.getOrDefault(s.accountId(), now), maxAge);
        return toWire(s, healthRule().judge(facts, now), check.map(HealthRule.SourceCheck::lastSuccessAt).orElse(null));
    }

    private HealthRule healthRule() {
        return new HealthRule(config.health().failureThreshold());
    }

    private AccountStatus refusedStatus(String id, HealthRule.Refusal refusal, Instant now) {
        HealthRule.Facts facts = new HealthRule.Facts(0, null, null, null, null, refusal, startedAt.getOrDefault(id, now),
                accountConfig(id).flatMap(AccountConfig::maxAge));
        HealthRule.Judgement judgement = healthRule().judge(facts, now);
        return new AccountStatus(id, AccountActivity.FAILED, null, null, refusal.reason(), refusal.attempts(), null, null, List.of(), null,
                null, judgement.health(), judgement.reason(), null, null);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    static AccountStatus toWire(AccountEntityStatus s, HealthRule.Judgement judgement, Instant lastSourceCheckAt) {
        AccountActivity state = switch (s.state()) {
            case IDLE -> AccountActivity.IDLE;
            case DEBOUNCING -> AccountActivity.DEBOUNCING;
            case QUEUED -> AccountActivity.QUEUED;
            case RUNNING -> AccountActivity.RUNNING;
            case BACKING_OFF -> AccountActivity.BACKING_OFF;
            case FAILED -> AccountActivity.FAILED;
            case DAMAGED -> AccountActivity.DAMAGED;
            case WAITING_FOR_SETTINGS -> AccountActivity.WAITING_FOR_SETTINGS;
        };
        AccountStatus.InFlightRun run = s.inFlightRunId() == null ? null : new AccountStatus.InFlightRun(s.inFlightRunId(),
                s.inFlightStage() == null ? null : s.inFlightStage().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                s.inFlightStartedAt());
        return new AccountStatus(s.accountId(), state, s.lastSnapshotId(), s.lastSnapshotAt(), s.lastError(),
                s.consecutiveFailures(), s.nextRetryAt(), run, s.lastSnapshotWarnings(), s.lastCheckedAt(),
                s.lastErrorKind() == null ? null : HealthRule.kindName(s.lastErrorKind()),
                judgement == null ? null : judgement.health(), judgement == null ? null : judgement.reason(), lastSourceCheckAt,
                s.node());
    }

    @Override
    public void close() {
        locationChecks.shutdownNow();
        census.close();
        statusServer.close();
        metrics.close();
        if (notifier != null) {
            notifier.close(); // what it has not delivered yet comes again at the next start
        }
        if (engine != null) {
            engine.close();
        }
        try {
            lock.close(); // after the engine: its journal is closed by then
        } catch (IOException e) {
            LOG.warn("the data-dir lock could not be released: {}", e.toString());
        }
        List<AccountConfig> toWipe = new ArrayList<>(config.accounts());
        synchronized (this) {
            toWipe.addAll(retired);
        }
        toWipe.forEach(VaultKeepHost::wipeSecrets);
        config.notifications().wipeSecrets();
    }

    private static void wipeSecrets(AccountConfig a) {
        a.backupPassword().ifPresent(Secret::wipe);
        if (a.location() instanceof LocationConfig.WebDav w) {
            w.password().ifPresent(Secret::wipe);
        }
        if (a.source() instanceof SourceConfig.ExportFolder f) {
            f.exportPassword().ifPresent(Secret::wipe);
        }
        if (a.source() instanceof SourceConfig.Bitwarden b) {
            b.clientId().ifPresent(Secret::wipe);
            b.clientSecret().ifPresent(Secret::wipe);
            b.masterPassword().ifPresent(Secret::wipe);
        }
    }
}
