package io.vaultkeep.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.vaultkeep.engine.persistence.JournalSchema;
import io.vaultkeep.engine.registration.ReplicatedAccountIds;
import io.vaultkeep.engine.transport.ClusterTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Pekko config of an engine that runs its own actor system. The embedded default: a
 * single-node cluster on loopback whose port speaks mutual TLS with a key made in the data directory
 * on first start (see {@link ClusterTransport}), the journal and snapshots in an H2 file there,
 * jackson-cbor for everything that may leave the JVM, Java serialization off, sharding without
 * remember-entities and without automatic passivation (the host registers, and so wakes, every
 * account it serves). Engine tuning keys live under {@code vaultkeep.engine} (see reference.conf).
 */
public final class EngineConfig {

    private static final String SLICK_DB = "pekko-persistence-jdbc.shared-databases.slick";
    /** The embedded node's key and self-signed certificate, in the data directory (0600). */
    public static final String NODE_KEY = "cluster-node.key";
    public static final String NODE_CERTIFICATE = "cluster-node.crt";

    private final Path dataDir;
    private final Config overrides;

    private EngineConfig(Path dataDir, Config overrides) {
        this.dataDir = dataDir;
        this.overrides = overrides;
    }

    /** An engine whose journal is {@code <dataDir>/journal.mv.db} (H2). */
    public static EngineConfig embedded(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        // WRITE_DELAY=0: H2 otherwise acknowledges a commit and writes it up to 500 ms later, so a
        // kill -9 loses journaled events (e.g. a run's plan) whose objects were already written
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        return new EngineConfig(dir, ConfigFactory.empty())
                .journal(url, "vaultkeep", "", "slick.jdbc.H2Profile$", "org.h2.Driver")
                .withClusterKeys(dir.resolve(NODE_KEY), dir.resolve(NODE_CERTIFICATE), dir.resolve(NODE_CERTIFICATE))
                .with(ClusterTransport.SETTINGS + ".generate", true) // made on first start, trusting only itself
                .withDurableRegistrations(dir.resolve("registered-accounts"));
    }

    /**
     * Where a node keeps its copy of the cluster's registered account ids (Pekko Distributed Data's
     * LMDB store; only where registrations are replicated, see {@link io.vaultkeep.engine.registration.RegistrationScope}),
     * so that a cluster restarted as a whole still knows the accounts registered through any node.
     * Written at most once a second: a registration made within the last second before every node
     * crashed at once is the only one that can be lost. Only in a JVM started with {@value
     * io.vaultkeep.engine.registration.ReplicatedAccountIds#OPENS} (LMDB needs it): elsewhere the set
     * is held in memory, as the node says at start.
     */
    public EngineConfig withDurableRegistrations(Path folder) {
        if (!ReplicatedAccountIds.durableStoreUsable()) {
            return this;
        }
        String ddata = ReplicatedAccountIds.DURABLE_SETTINGS;
        return with(ddata + ".keys", List.of(ReplicatedAccountIds.KEY_ID))
                .with(ddata + ".lmdb.dir", folder.toAbsolutePath().normalize().toString())
                // each write stores the whole set: one per change would be quadratic in a registration burst
                .with(ddata + ".lmdb.write-behind-interval", "1s");
    }

    /**
     * The cluster port's identity from an operator's PEM files (a node of a cluster whose authority
     * signed every node's certificate; {@code vaultkeep cluster-keys} makes them) instead of a key of
     * the node's own.
     */
    public EngineConfig withClusterKeys(Path keyFile, Path certFile, Path trustFile) {
        return with(ClusterTransport.SETTINGS + ".generate", false)
                .with(ClusterTransport.SETTINGS + ".key-file", keyFile.toAbsolutePath().toString())
                .with(ClusterTransport.SETTINGS + ".cert-file", certFile.toAbsolutePath().toString())
                .with(ClusterTransport.SETTINGS + ".trust-file", trustFile.toAbsolutePath().toString());
    }

    /** A plain tcp cluster port, for one something else protects: whoever reaches it can drive the node. */
    public EngineConfig withInsecureTransport() {
        return with(ClusterTransport.TRANSPORT, "tcp").with(ClusterTransport.SETTINGS + ".insecure-transport", true);
    }

    /** The journal in PostgreSQL instead of H2. */
    public EngineConfig withPostgres(String jdbcUrl, String user, String password) {
        return journal(jdbcUrl, user, password, "slick.jdbc.PostgresProfile$", "org.postgresql.Driver");
    }

    private EngineConfig journal(String url, String user, String password, String profile, String driver) {
        return with(SLICK_DB + ".profile", profile)
                .with(SLICK_DB + ".db.url", url)
                .with(SLICK_DB + ".db.user", user)
                .with(SLICK_DB + ".db.password", password)
                .with(SLICK_DB + ".db.driver", driver);
    }

    /**
     * A node of a cluster of several: it listens on {@code hostname:port}, joins through
     * {@code seedNodes} (full addresses, {@code pekko://vaultkeep@host:port}) instead of itself, and
     * runs Pekko's split brain resolver with {@code strategy} after {@code stableAfter}; sharding
     * remembers its entities in the journal, so every account's entity is started again on a
     * surviving node when its node is lost (not only at the next wake). Give the shared journal
     * with {@link #withPostgres} and the cluster's keys with {@link #withClusterKeys}.
     */
    public EngineConfig withClusterNode(String hostname, int port, List<String> seedNodes, String strategy, Duration stableAfter) {
        return with("pekko.remote.artery.canonical.hostname", hostname)
                .with("pekko.remote.artery.canonical.port", port)
                .with("pekko.cluster.seed-nodes", List.copyOf(seedNodes))
                .with("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider")
                .with("pekko.cluster.split-brain-resolver.active-strategy", strategy)
                .with("pekko.cluster.split-brain-resolver.stable-after", millis(stableAfter))
                .with("pekko.cluster.sharding.remember-entities", "on")
                .with("pekko.cluster.sharding.remember-entities-store", "eventsourced")
                // the first seed node, restarted while the others run, founds a cluster of its own
                // (an island running every account a second time) when none of them answers within
                // this; 5 s (Pekko's default) is too short for a loaded machine
                .with("pekko.cluster.seed-node-timeout", "30s")
                // a shard reads its remembered entities from the journal: under load that takes longer
                // than Pekko's 2 s, and each time-out costs a 10 s back-off before the shard tries again
                .with("pekko.cluster.sharding.waiting-for-state-timeout", "10s")
                .with("pekko.cluster.sharding.shard-failure-backoff", "3s")
                // no shard home is given out during a hand-over; one started between a kill and its
                // detection waits for the dead node's ShardStopped until this timeout (Pekko's 60 s: a
                // 63.5 s failover). 10 s ends before the killed node is removed (≈ 5 s + 2 × stable-after)
                // and is far above a real hand-over (an entity stops at once on Passivate). Never two
                // homes: a timed-out hand-over leaves the shard where it was; it moves only on its old
                // home's ShardStopped or that node's removal, and a removed node halts (DownedNodeFence);
                // the journal's sequence numbers and the repository's writer lock are the second line
                .with("pekko.cluster.sharding.handoff-timeout", "10s")
                // a node joining later takes its share in one or two rebalance rounds, not 1 shard per round
                .with("pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit", 100);
    }

    /** Settings of the host's own {@code pekko { … }} block, over everything else. */
    public EngineConfig withOverrides(Config pekko) {
        return new EngineConfig(dataDir, pekko.withFallback(overrides));
    }

    /** Whether the node joins others ({@code pekko.cluster.seed-nodes}) rather than forming a cluster of one. */
    public boolean joinsSeedNodes() {
        return !pekkoConfig().getStringList("pekko.cluster.seed-nodes").isEmpty();
    }

    public EngineConfig withMaxConcurrentRuns(int runs) {
        return with("vaultkeep.engine.max-concurrent-runs", runs);
    }

    public EngineConfig withBlockingThreads(int threads) {
        return with("vaultkeep.blocking-dispatcher.thread-pool-executor.fixed-pool-size", threads);
    }

    public EngineConfig withDebounce(Duration quietWindow, Duration maxDelay) {
        return with("vaultkeep.engine.debounce.quiet-window", millis(quietWindow))
                .with("vaultkeep.engine.debounce.max-delay", millis(maxDelay));
    }

    public EngineConfig withBackoff(Duration base, Duration cap, double jitter) {
        return with("vaultkeep.engine.backoff.base", millis(base))
                .with("vaultkeep.engine.backoff.cap", millis(cap))
                .with("vaultkeep.engine.backoff.jitter", jitter);
    }

    /**
     * How long an account's entity started on this node waits for the account to be registered
     * here before it stops (see {@code vaultkeep.engine.settings-wait}).
     */
    public EngineConfig withSettingsWait(Duration wait) {
        return with("vaultkeep.engine.settings-wait", millis(wait));
    }

    /** How far retries of failures that need a person back off (see {@link io.vaultkeep.engine.account.BackoffPolicy}). */
    public EngineConfig withAttentionRetryCeiling(Duration ceiling) {
        return with("vaultkeep.engine.backoff.attention-cap", millis(ceiling));
    }

    public EngineConfig withSnapshotEvery(int events) {
        return with("vaultkeep.engine.journal.snapshot-every", events);
    }

    /** Any other setting, by its HOCON path (Pekko's or {@code vaultkeep.*}). */
    public EngineConfig with(String path, Object value) {
        return new EngineConfig(dataDir, overrides.withValue(path, ConfigValueFactory.fromAnyRef(value)));
    }

    public Path dataDir() {
        return dataDir;
    }

    public String journalUrl() {
        return pekkoConfig().getString(SLICK_DB + ".db.url");
    }

    /** The whole config for {@code ActorSystem.create}: these settings over the defaults below, over reference.conf. */
    public Config pekkoConfig() {
        return overrides.withFallback(defaults()).withFallback(ConfigFactory.load()).resolve();
    }

    /** Creates the journal tables (idempotent); the engine does it before starting its actor system. */
    public void createJournalSchema() throws java.sql.SQLException {
        JournalSchema.ensure(pekkoConfig());
    }

    private static String millis(Duration duration) {
        Objects.requireNonNull(duration);
        return duration.toMillis() + "ms";
    }

    private static Config defaults() {
        return ConfigFactory.parseString("""
                pekko {
                  loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                  logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                  actor {
                    provider = cluster
                    allow-java-serialization = off
                    warn-about-java-serializer-usage = off
                  }
                  remote.artery {
                    transport = tls-tcp
                    ssl.ssl-engine-provider = "io.vaultkeep.engine.transport.ClusterTlsEngineProvider"
                    canonical {
                      hostname = "127.0.0.1"
                      port = 0
                    }
                  }
                  cluster {
                    log-info = off
                    jmx.multi-mbeans-in-same-jvm = on
                    sharding {
                      remember-entities = off
                      passivation.strategy = none
                    }
                  }
                  persistence {
                    journal.plugin = "jdbc-journal"
                    snapshot-store.plugin = "jdbc-snapshot-store"
                  }
                  coordinated-shutdown.exit-jvm = off
                }
                jdbc-journal.use-shared-db = "slick"
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                pekko-persistence-jdbc.shared-databases.slick.db {
                  numThreads = 4
                  maxConnections = 4
                  minConnections = 1
                }
                """);
    }
}
