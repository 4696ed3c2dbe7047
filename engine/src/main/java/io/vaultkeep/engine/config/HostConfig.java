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
 * @param pekko         a top-level {@code pekko { … }} block of the same file, passed unchecked to the
 *                      actor system as overrides (empty when absent)
 */
public record HostConfig(
        Path configFile,
        Path dataDir,
        Limits limits,
        StatusEndpoint status,
        ClusterSettings cluster,
        DebounceSettings debounce,
        List<AccountConfig> accounts,
        Config pekko) {

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
     * @param host {@code host}, default {@code 127.0.0.1}; must be a loopback address
     * @param port {@code port}, default 8420
     */
    public record StatusEndpoint(String host, int port) {
        public static final StatusEndpoint DEFAULT = new StatusEndpoint("127.0.0.1", 8420);

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
    public record ClusterSettings(Optional<NodeKeys> keys, boolean insecureTransport) {
        public static final ClusterSettings DEFAULT = new ClusterSettings(Optional.empty(), false);
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
}
