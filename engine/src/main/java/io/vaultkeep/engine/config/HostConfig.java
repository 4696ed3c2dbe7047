package io.vaultkeep.engine.config;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A checked host configuration ({@code vaultkeep { … }} in a HOCON file): every path absolute,
 * every secret resolved, every account valid. Made by {@link HostConfigLoader#load}.
 *
 * @param configFile    the file it came from (absolute)
 * @param dataDir       the journal (H2) and host state; {@code data-dir}, default {@code ./data}
 * @param cluster       the cluster port's keys and transport ({@code vaultkeep.cluster})
 * @param log           what the host logs, how, and where ({@code vaultkeep.log})
 * @param health        when an account counts as unhealthy, and how failures that need a person are retried
 *                      ({@code vaultkeep.health})
 * @param pekko         a top-level {@code pekko { … }} block of the same file, passed unchecked to the
 *                      actor system as overrides (empty when absent)
 * @param notifications notifications ({@code vaultkeep.notify} and the accounts' {@code notify} blocks)
 */
public record HostConfig(
        Path configFile,
        Path dataDir,
        Limits limits,
        StatusEndpoint status,
        ClusterSettings cluster,
        DebounceSettings debounce,
        LogSettings log,
        HealthSettings health,
        List<AccountConfig> accounts,
        Config pekko,
        NotifySettings notifications) {

    public HostConfig {
        accounts = List.copyOf(accounts);
    }

    public Optional<AccountConfig> account(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /**
     * Host-wide limits ({@code vaultkeep.limits}).
     *
     * @param maxConcurrentRuns backups (and prunes) running at once across all accounts;
     *                          {@code max-concurrent-runs}, default 4, 1 to 1024
     * @param ioThreads         threads of the blocking-I/O dispatcher (store reads and writes, ZIP work);
     *                          {@code io-threads}, default 8, 1 to 256
     */
    public record Limits(int maxConcurrentRuns, int ioThreads) {
        public static final Limits DEFAULT = new Limits(4, 8);
    }

    /**
     * The loopback status endpoint ({@code vaultkeep.status}) that {@code vaultkeep status} and
     * {@code vaultkeep backup-now} talk to.
     *
     * @param host                {@code host}, default {@code 127.0.0.1}; must be a loopback address
     * @param port                {@code port}, default 8420
     * @param metricsWithoutToken {@code metrics-without-token}, default off: {@code /metrics} may be
     *                            scraped without the status token (it shows account ids and states)
     */
    public record StatusEndpoint(String host, int port, boolean metricsWithoutToken) {
        public static final StatusEndpoint DEFAULT = new StatusEndpoint("127.0.0.1", 8420);

        public StatusEndpoint(String host, int port) {
            this(host, port, false);
        }

        /**
         * The address to bind: {@code host} must be {@code localhost} or a loopback IP literal (no
         * name lookups, so a DNS answer cannot move the endpoint off this machine).
         *
         * @throws IllegalArgumentException saying why the host is refused
         */
        public InetAddress loopbackAddress() {
            boolean literal = host.contains(":") || host.matches("[0-9.]+");
            if (!literal && !host.equalsIgnoreCase("localhost")) {
                throw new IllegalArgumentException("the status endpoint binds loopback only (it speaks plain HTTP): "
                        + "give 127.0.0.1, ::1 or localhost, not '" + host + "'");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + host + "' is not an IP address");
            }
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("the status endpoint binds loopback only (it speaks plain HTTP): "
                        + host + " is not a loopback address; give 127.0.0.1, ::1 or localhost");
            }
            return address;
        }

        /** {@code http://host:port}, with an IPv6 literal in brackets. */
        public String url() {
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * The cluster port ({@code vaultkeep.cluster}): mutual TLS always, with a key the host makes in
     * its data-dir on first start, unless the operator gives a node's files from a cluster authority.
     *
     * @param keys              {@code key-file}, {@code cert-file}, {@code trust-file} (PEM, all three or none)
     * @param insecureTransport {@code insecure-transport}, default false: a plain tcp port, with a warning
     */
    public record ClusterSettings(Optional<NodeKeys> keys, boolean insecureTransport, Optional<ClusterNode> node) {
        public static final ClusterSettings DEFAULT = new ClusterSettings(Optional.empty(), false);

        /** A single node (no {@code seed-nodes}). */
        public ClusterSettings(Optional<NodeKeys> keys, boolean insecureTransport) {
            this(keys, insecureTransport, Optional.empty());
        }
    }

    /**
     * A node of a cluster of several ({@code vaultkeep.cluster} with {@code seed-nodes}): where it
     * listens, whom it joins, the journal all nodes share, and how a split brain is resolved.
     *
     * @param hostname     {@code hostname}: the address the other nodes reach this one at, default 127.0.0.1
     * @param port         {@code port}: the cluster port (mutual TLS), required
     * @param seedNodes    {@code seed-nodes}: {@code host:port} of the nodes a starting node asks to join
     *                     (the first one alone may start the cluster), at least one
     * @param journal      {@code journal { url, user, password-env }}: the PostgreSQL every node journals to
     * @param downing      {@code split-brain-resolver { strategy, stable-after }}
     */
    public record ClusterNode(String hostname, int port, List<String> seedNodes, Journal journal, Downing downing) {
        public ClusterNode {
            seedNodes = List.copyOf(seedNodes);
        }
    }

    /** The shared PostgreSQL journal; {@code password} from {@code password-env} or {@code password-file}. */
    public record Journal(String url, Optional<String> user, Optional<Secret> password) {}

    /**
     * Pekko's split brain resolver: which side of a partition downs itself, after the membership
     * has been stable for {@code stableAfter}.
     */
    public record Downing(String strategy, Duration stableAfter) {
        public static final List<String> STRATEGIES = List.of("keep-majority", "keep-oldest", "down-all");
        public static final Downing DEFAULT = new Downing("keep-majority", Duration.ofSeconds(7));
    }

    /** A node's key, its certificate, and the certificates it trusts (its cluster's authority). */
    public record NodeKeys(Path keyFile, Path certFile, Path trustFile) {}

    /** Where a running host answers, and the data folder that holds its status token. */
    public record StatusAccess(StatusEndpoint endpoint, Path dataDir) {}

    /**
     * How changes are folded into backups ({@code vaultkeep.debounce}).
     *
     * @param quiet    a backup starts once no change came for this long; {@code quiet}, default 5 s
     * @param maxDelay while changes keep coming, no backup waits longer than this after the first;
     *                 {@code max-delay}, default 60 s, at least {@code quiet}
     */
    public record DebounceSettings(Duration quiet, Duration maxDelay) {
        public static final DebounceSettings DEFAULT = new DebounceSettings(Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /**
     * The host's log ({@code vaultkeep.log}); {@code vaultkeep run}'s --log-* flags override it.
     *
     * @param level       VaultKeep's own loggers: {@code level}, default info (other libraries log warn and above)
     * @param format      {@code format}: text (one line per event) or json (one JSON object per line), default text
     * @param file        {@code file}: a file instead of standard error, rolled daily and at {@code maxFileSize}
     * @param maxFileSize {@code max-file-size} in bytes, default 10 MiB (HOCON sizes: 10MiB, 512k, 5MB = 5,000,000)
     * @param maxHistory  {@code max-history}, default 7: how many days of rolled files are kept
     */
    public record LogSettings(LogLevel level, LogFormat format, Optional<Path> file, long maxFileSize, int maxHistory) {
        public static final LogSettings DEFAULT = new LogSettings(LogLevel.INFO, LogFormat.TEXT, Optional.empty(), 10L << 20, 7);

        public LogSettings withLevel(LogLevel level) {
            return new LogSettings(level, format, file, maxFileSize, maxHistory);
        }

        public LogSettings withFormat(LogFormat format) {
            return new LogSettings(level, format, file, maxFileSize, maxHistory);
        }

        public LogSettings withFile(Path file) {
            return new LogSettings(level, format, Optional.of(file), maxFileSize, maxHistory);
        }
    }

    /**
     * When an account is unhealthy ({@code vaultkeep.health}); an account's own {@code max-age} adds
     * staleness. A failure retrying will not heal (a wrong backup password, a refused API key, a full or
     * damaged repository, a refused location) makes it unhealthy at once.
     *
     * @param failureThreshold      {@code failure-threshold}, default 3, 1 to 1000: failed runs or source
     *                              checks in a row at which an account is {@code failing}
     * @param attentionRetryCeiling {@code attention-retry-ceiling}, default 1 h, 1 s to 7 d: failures that
     *                              need a person are retried doubling up to this (others up to 30 min)
     */
    public record HealthSettings(int failureThreshold, Duration attentionRetryCeiling) {
        public static final HealthSettings DEFAULT = new HealthSettings(3, Duration.ofHours(1));
    }

    public enum LogLevel {
        ERROR, WARN, INFO, DEBUG, TRACE;

        /** {@code error}, {@code warn}, … in any case. */
        public static Optional<LogLevel> named(String name) {
            return java.util.Arrays.stream(values()).filter(l -> l.name().equalsIgnoreCase(name.trim())).findFirst();
        }
    }

    public enum LogFormat {
        TEXT, JSON;

        public static Optional<LogFormat> named(String name) {
            return java.util.Arrays.stream(values()).filter(f -> f.name().equalsIgnoreCase(name.trim())).findFirst();
        }
    }
}
