package io.vaultkeep.engine;

import io.vaultkeep.engine.account.AccountBackup;
import io.vaultkeep.engine.account.AccountRegistry;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.account.EngineTuning;
import io.vaultkeep.engine.account.RunPermits;
import io.vaultkeep.engine.account.SettingsResolver;
import io.vaultkeep.engine.account.SettingsSource;
import io.vaultkeep.engine.config.ClusterNodes;
import io.vaultkeep.engine.datadir.DataDir;
import io.vaultkeep.engine.persistence.JournalSchema;
import io.vaultkeep.engine.registration.RegistrationScope;
import io.vaultkeep.engine.registration.ReplicatedAccountIds;
import io.vaultkeep.engine.transport.ClusterTransport;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountCommand;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.storage.repository.FetchedVault;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * The engine as a library: start it on its own actor system (a single-node cluster with an H2
 * journal in a data directory) or on the host's, register accounts, push vaults, ask for status,
 * subscribe to backup notices. One engine per actor system. Thread-safe.
 */
public final class VaultKeepEngine implements AutoCloseable {

    /** Ends a subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private static final Duration CLUSTER_UP_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final boolean ownsSystem;
    private final AccountRegistry registry = new AccountRegistry();
    /** The accounts registered through any node; null where registrations stay on their node (see {@link RegistrationScope}). */
    private final ReplicatedAccountIds clusterIds;
    private final SettingsSource settingsSource;
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final Cancellable waker;
    private final ActorRef<RunPermits.Command> permits;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean closed;

    private VaultKeepEngine(ActorSystem<?> system, boolean ownsSystem) {
        this.system = system;
        this.ownsSystem = ownsSystem;
        this.sharding = ClusterSharding.get(system);
        // Pekko 1.7's Artery can wait forever for a remoting stream as the system terminates
        io.vaultkeep.engine.transport.RemotingShutdown.bound(system);
        EngineTuning tuning = EngineTuning.fromConfig(system.settings().config());
        this.askTimeout = system.settings().config().getDuration("vaultkeep.engine.ask-timeout");
        this.permits = system.systemActorOf(RunPermits.create(tuning.maxConcurrentRuns()),
                "vaultkeep-run-permits", Props.empty());
        if (RegistrationScope.of(system.settings().config()) == RegistrationScope.CLUSTER) {
            this.clusterIds = ReplicatedAccountIds.start(system, askTimeout, new ReplicatedAccountIds.Listener() {
                @Override
                public void registered(String accountId) {
                    entity(accountId).tell(new AccountCommand.Wake()); // an entity waiting on this node takes its settings
                }

                @Override
                public void removed(String accountId) {
                    registry.remove(accountId);
                    entity(accountId).tell(new AccountCommand.Unregistered()); // if it runs here, it now finds no settings and stops
                }
            });
            this.settingsSource = new SettingsSource(registry, clusterIds::contains);
        } else {
            this.clusterIds = null;
            this.settingsSource = SettingsSource.local(registry);
        }
        AccountBackup.init(sharding, settingsSource, permits, tuning,
                io.vaultkeep.engine.account.SettingsWait.Limits.fromConfig(system.settings().config()));
        Duration wake = system.settings().config().getDuration("vaultkeep.engine.wake-interval");
        this.waker = system.scheduler().scheduleWithFixedDelay(wake, wake, this::wakeAll, system.executionContext());
    }

    /** Starts an engine on its own actor system with the embedded defaults in {@code dataDir}. */
    public static VaultKeepEngine start(java.nio.file.Path dataDir) throws IOException {
        return start(EngineConfig.embedded(dataDir));
    }

    /**
     * Starts an engine on its own actor system: creates the data directory private to this user (or
     * makes it so) and the journal tables, starts the system, joins it to itself and waits until it is up.
     */
    public static VaultKeepEngine start(EngineConfig config) throws IOException {
        DataDir.prepare(config.dataDir());
        try {
            config.createJournalSchema();
        } catch (SQLException e) {
            throw new IOException("the journal database cannot be prepared (SQL state " + e.getSQLState() + ")", e);
        }
        ClusterTransport.prepare(config.pekkoConfig());
        DataDir.tighten(config.dataDir()); // the journal's files were created with the umask's mode
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterNodes.SYSTEM_NAME, config.pekkoConfig());
        try {
            boolean seeds = config.joinsSeedNodes();
            if (!seeds) {
                joinSelf(system);
            } // else Pekko joins through its seed nodes by itself
            if (seeds) {
                awaitUp(system, system.settings().config().getDuration("vaultkeep.engine.join-timeout"),
                        " (is a seed node reachable, with a certificate from the same authority, and has the first seed node started?)");
            } else {
                awaitUp(system, CLUSTER_UP_TIMEOUT, "");
            }
            return new VaultKeepEngine(system, true);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    /**
     * Starts an engine on the host's actor system, which must use the cluster provider and be (or
     * become) a member, and have a journal and snapshot store configured; when that journal is
     * pekko-persistence-jdbc on its shared database, its tables are created here. Its cluster port
     * must speak tls-tcp, unless its config says {@code vaultkeep.cluster-tls.insecure-transport = on}.
     */
    public static VaultKeepEngine startOn(ActorSystem<?> system) throws IOException {
        ClusterTransport.prepare(system.settings().config());
        try {
            JournalSchema.ensure(system.settings().config());
        } catch (SQLException e) {
            throw new IOException("the journal database cannot be prepared (SQL state " + e.getSQLState() + ")", e);
        }
        return new VaultKeepEngine(system, false);
    }

    /** Makes the node a cluster of one (the embedded default). */
    public static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }

    private static void awaitUp(ActorSystem<?> system, Duration timeout, String hint) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node did not come up within " + timeout + hint);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the node was starting", e);
            }
        }
    }

    public ActorSystem<?> system() {
        return system;
    }

    /**
     * Adds an account, or replaces its settings (its entity restarts with them). The settings stay on
     * this node. The account's entity starts at once wherever sharding places it: its source starts
     * reporting and recovery finishes any interrupted work. On a node whose registrations are
     * replicated ({@code vaultkeep.engine.registered-accounts}: a shared PostgreSQL journal), every
     * node learns the account's id (never its settings); an entity placed on another node takes the
     * settings registered there, else asks that node's {@link #resolveSettingsWith resolver}, else
     * waits ({@code vaultkeep.engine.settings-wait}). Otherwise register every account on every node.
     */
    public void register(AccountSettings settings) {
        requireOpen();
        String id = settings.accountId();
        boolean known = isRegistered(id);
        boolean replaced = registry.put(settings).isPresent() || known;
        if (clusterIds != null) {
            clusterIds.add(id);
        }
        EntityRef<AccountCommand> entity = entity(id);
        if (replaced) {
            entity.tell(new AccountCommand.Reload());
        }
        entity.tell(new AccountCommand.Wake());
    }

    /**
     * Stops serving an account; its journal and repository stay as they are. With replicated
     * registrations it stops on whichever node runs it, whichever node it was registered through,
     * and stays stopped until it is registered again.
     */
    public void remove(String accountId) {
        requireOpen();
        boolean known = isRegistered(accountId);
        boolean here = registry.remove(accountId).isPresent();
        if (clusterIds != null) {
            clusterIds.remove(accountId); // also when not (yet) known here: the removal is the caller's intent
        }
        if (here || known) {
            entity(accountId).tell(new AccountCommand.Unregistered());
        }
    }

    /**
     * Gives this node a way to build the settings of accounts registered through another node (with
     * replicated registrations): an entity that sharding places here and that has no settings
     * registered on this node calls {@code resolver} with its account id, on an actor's thread, when
     * it starts and when it reloads. Null removes the resolver. Settings it builds are not kept by the
     * engine: each call should build them afresh, from the embedding service's own store.
     */
    public void resolveSettingsWith(SettingsResolver resolver) {
        requireOpen();
        settingsSource.resolveWith(resolver);
        if (resolver != null) {
            accountIds().forEach(id -> entity(id).tell(new AccountCommand.Wake())); // entities waiting here look again
        }
    }

    /**
     * Hands a vault to an account whose source is a {@link PushVaultSource}.
     *
     * @return the vault's revision
     * @throws IllegalArgumentException for an unknown account or one with another kind of source
     */
    public String push(String accountId, FetchedVault vault) {
        requireOpen();
        AccountSettings settings = settingsOf(accountId);
        if (!(settings.source() instanceof PushVaultSource pushed)) {
            throw new IllegalArgumentException("account " + accountId + " does not take pushed vaults");
        }
        String revision = pushed.push(vault);
        entity(accountId).tell(new AccountCommand.Wake()); // a stopped entity's source reports the push when it starts
        return revision;
    }

    /** A backup now, bypassing the debounce window and any backoff wait. */
    public void backupNow(String accountId) {
        requireOpen();
        requireRegistered(accountId);
        entity(accountId).tell(new AccountCommand.BackupNow());
    }

    public CompletionStage<AccountEntityStatus> status(String accountId) {
        requireOpen();
        requireRegistered(accountId);
        return PlainFuture.of(entity(accountId).<AccountEntityStatus>ask(AccountCommand.GetStatus::new, askTimeout));
    }

    /** The status of every registered account (through any node, when registrations are replicated), by account id. */
    public CompletionStage<List<AccountEntityStatus>> statuses() {
        List<CompletableFuture<AccountEntityStatus>> asks = accountIds().stream()
                .map(id -> status(id).toCompletableFuture()).toList();
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                .thenApply(done -> asks.stream().map(CompletableFuture::join).toList());
    }

    /** This node's run permits: the limit, how many runs hold one, how many wait (for metrics). */
    public CompletionStage<RunPermits.PermitCounts> runPermitCounts() {
        requireOpen();
        return PlainFuture.of(org.apache.pekko.actor.typed.javadsl.AskPattern.ask(permits, RunPermits.GetPermitCounts::new, askTimeout, system.scheduler()));
    }

    /** Sorted: the accounts registered on this node, or through any node when registrations are replicated. */
    public List<String> accountIds() {
        return clusterIds != null ? clusterIds.ids() : registry.accountIds();
    }

    /**
     * Calls {@code listener} for every notice (committed, failed, pruned) of this node's accounts, one
     * at a time, on an actor's thread; a listener that throws is logged and keeps its subscription.
     */
    public Subscription subscribe(Consumer<BackupNotice> listener) {
        requireOpen();
        ActorRef<Object> subscriber = system.systemActorOf(noticeSubscriber(listener),
                "vaultkeep-notices-" + subscriptions.incrementAndGet(), Props.empty());
        return () -> subscriber.tell(StopSubscriber.INSTANCE);
    }

    private enum StopSubscriber { INSTANCE }

    private static Behavior<Object> noticeSubscriber(Consumer<BackupNotice> listener) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(BackupNotice.class, ctx.getSelf().narrow()));
            return Behaviors.receive(Object.class)
                    .onMessage(BackupNotice.class, notice -> {
                        try {
                            listener.accept(notice);
                        } catch (RuntimeException e) {
                            ctx.getLog().warn("a backup notice listener failed: {}", e.toString());
                        }
                        return Behaviors.same();
                    })
                    .onMessageEquals(StopSubscriber.INSTANCE, Behaviors::stopped)
                    .build();
        });
    }

    /**
     * Stops the engine. With its own actor system, the system terminates (accounts hand over and
     * stop; the journal keeps everything for the next start); on a host's system, the accounts stop.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        waker.cancel();
        boolean resolving = settingsSource.hasResolver(); // entities here may run on resolved settings
        settingsSource.resolveWith(null);
        if (clusterIds != null) {
            clusterIds.close(); // the accounts stay registered in the cluster: a node leaving is no removal
        }
        if (ownsSystem) {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                system.log().warn("the engine's actor system did not terminate cleanly: {}", e.toString());
            }
        } else {
            java.util.Set<String> ids = new java.util.TreeSet<>(registry.accountIds());
            if (resolving) {
                ids.addAll(accountIds()); // entities running here on resolved settings stop too
            }
            registry.clearAndWipe();
            ids.forEach(id -> entity(id).tell(new AccountCommand.Reload()));
            return;
        }
        registry.clearAndWipe();
    }

    private void wakeAll() {
        for (String id : accountIds()) {
            entity(id).tell(new AccountCommand.Wake());
        }
    }

    private EntityRef<AccountCommand> entity(String accountId) {
        return sharding.entityRefFor(AccountBackup.ENTITY_TYPE, accountId);
    }

    private AccountSettings settingsOf(String accountId) {
        return registry.settings(accountId).orElseThrow(() -> new IllegalArgumentException(isRegistered(accountId)
                ? "account " + accountId + " was registered through another node: push its vaults through that node"
                : "account " + accountId + " is not registered"));
    }

    private boolean isRegistered(String accountId) {
        return clusterIds != null ? clusterIds.contains(accountId) : registry.settings(accountId).isPresent();
    }

    private void requireRegistered(String accountId) {
        if (!isRegistered(accountId)) {
            throw new IllegalArgumentException("account " + accountId + " is not registered");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
    }
}
