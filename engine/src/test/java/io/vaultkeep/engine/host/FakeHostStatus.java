package io.vaultkeep.engine.host;

import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.ConfigException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A status provider holding the statuses a test gives it and recording backup-now requests. */
public final class FakeHostStatus implements HostStatusProvider {

    public static final AccountStatus ALICE = new AccountStatus("alice", AccountActivity.RUNNING,
            "20250102030405-6a1b3c4d-0000-4000-8000-000000000001", Instant.parse("2025-01-02T03:04:05.123Z"),
            null, 0, null,
            new AccountStatus.InFlightRun("run-7", "storing-blobs", Instant.parse("2025-01-02T04:00:00Z")), List.of(),
            Instant.parse("2025-01-02T03:30:00Z"));
    public static final AccountStatus BOB = new AccountStatus("bob", AccountActivity.BACKING_OFF,
            null, null, "location /srv/backups/bob is full", 3, Instant.parse("2025-01-02T05:00:00Z"), null, List.of(), null);

    private final Map<String, AccountStatus> accounts = new TreeMap<>();
    public final ConcurrentLinkedQueue<String> backupNowRequests = new ConcurrentLinkedQueue<>();
    public volatile Health health = Health.ok();
    /** What reload() answers, or throws when {@link #reloadProblem} is set. */
    public volatile ConfigChanges reloadAnswer = new ConfigChanges(List.of(), List.of(), List.of(), List.of(), List.of());
    public volatile ConfigException reloadProblem;
    /** Thrown by every call when set. */
    public volatile RuntimeException failure;
    /** Each accounts() call takes this long. */
    public volatile long delayMillis;
    public final java.util.concurrent.atomic.AtomicInteger accountsCalls = new java.util.concurrent.atomic.AtomicInteger();

    public FakeHostStatus(AccountStatus... statuses) {
        for (AccountStatus s : statuses) {
            accounts.put(s.id(), s);
        }
    }

    @Override
    public List<AccountStatus> accounts() {
        accountsCalls.incrementAndGet();
        check();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return List.copyOf(accounts.values());
        }
    }

    @Override
    public synchronized Optional<AccountStatus> account(String id) {
        check();
        return Optional.ofNullable(accounts.get(id));
    }

    @Override
    public synchronized boolean requestBackupNow(String id) {
        check();
        if (!accounts.containsKey(id)) {
            return false;
        }
        backupNowRequests.add(id);
        return true;
    }

    @Override
    public Health health() {
        check();
        return health;
    }

    /** Scraped from these statuses, as the host scrapes its own. */
    public final HostMetrics metrics = new HostMetrics();

    @Override
    public Optional<String> metrics() {
        return Optional.of(metrics.scrape(accounts(), Optional.of(new io.vaultkeep.engine.account.RunPermits.PermitCounts(4, 1, 0))));
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public ConfigChanges reload() throws ConfigException {
        check();
        if (reloadProblem != null) {
            throw reloadProblem;
        }
        return reloadAnswer;
    }
}
