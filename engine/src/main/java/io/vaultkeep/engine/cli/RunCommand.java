package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.VaultKeepHost;
import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.engine.host.HostLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import io.vaultkeep.engine.cluster.DownedNodeFence;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Command(name = "run", header = "Run the backup host, which backs up every account in the config after each change.", description = {
        "Each account is watched and backed up after the quiet window that follows a change, its state",
        "journaled in the data folder. Stops on Ctrl-C or SIGTERM."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** How long a node of a cluster may take to stop on SIGTERM before it halts. */
    private static final java.time.Duration CLUSTER_STOP_LIMIT = java.time.Duration.ofSeconds(30);
    /** What a JVM stopped by SIGTERM exits with (128 + 15): systemd's SuccessExitStatus=143. */
    private static final int SIGTERM_EXIT = 143;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The host's config (vaultkeep.conf).")
    Path config;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info (default) or debug: VaultKeep's own log lines; overrides vaultkeep.log.level.")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (default) or json (one object per line); overrides vaultkeep.log.format.")
    String logFormat;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Log to FILE instead of standard error, rolled daily and by size; overrides vaultkeep.log.file.")
    Path logFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        logSettings(HostConfig.LogSettings.DEFAULT); // a wrong --log-* flag is a usage error before anything is read
        HostConfig hostConfig;
        try {
            hostConfig = HostConfigLoader.load(config, CommandLineRoot.of(spec).environment);
        } catch (ConfigException e) {
            err.println(e.getMessage()); // one line per problem, each with its file, line and path
            err.flush();
            return VaultKeepCli.EXIT_FAILURE;
        }
        // from here on the host speaks through its log: one dated line per event, each said once
        HostLogging.apply(logSettings(hostConfig.log()));
        int configured = hostConfig.accounts().size();
        LOG.info("vaultkeep: starting {} from {} (data-dir {}; {})", Counted.of(configured, "account"), config.toAbsolutePath(),
                hostConfig.dataDir(), new VaultKeepCli.Version().getVersion()[0]);
        VaultKeepHost host = VaultKeepHost.start(hostConfig, VaultKeepHost.LocationRetry.DEFAULT, new VaultKeepHost.Progress() {
            @Override
            public void accountStarted(String id) {
                LOG.info("vaultkeep: account {} started", id);
            }

            @Override
            public void accountNotStarted(String id, String reason) {
                // the host logs it, with the reason, as an error
            }
        }, CommandLineRoot.of(spec).environment);
        int started = host.engine().accountIds().size();
        LOG.info("vaultkeep: running {}{}; status at http://{}:{} (vaultkeep status --config {}); stop with Ctrl-C",
                Counted.of(started, "account"), started == configured ? "" : " of " + configured,
                hostConfig.status().host(), host.statusPort(), config);
        // SIGHUP re-reads the config (as POST /reload does) instead of stopping the JVM
        if (Signal.handle(new Signal("HUP"), signal -> reload(host)) == sun.misc.SignalHandler.SIG_IGN) {
            // a JVM started with SIGHUP ignored (nohup) keeps it ignored and installs no handler
            LOG.warn("vaultkeep: SIGHUP is ignored in this process (started under nohup?), so it does not reload the config; "
                    + "use vaultkeep reload --config {} (or POST /reload)", config);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        boolean clusterNode = hostConfig.cluster().node().isPresent();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            LOG.info("vaultkeep: stopping");
            if (clusterNode) {
                closeWithin(host, CLUSTER_STOP_LIMIT);
            } else {
                host.close();
            }
            LOG.info("vaultkeep: stopped");
            stopped.countDown();
        }, "vaultkeep-shutdown"));
        // a node downed by the split brain resolver (or whose engine stopped) halts at once, without
        // finishing a run another node now owns; a supervisor (systemd, a container runtime) starts
        // it afresh and it rejoins. Halting is what kill -9 does, which the journal and the
        // repository are built to survive; the data-dir lock is the kernel's and goes with the process.
        if (hostConfig.cluster().node().isPresent()) {
            DownedNodeFence.watch(host.engine().system(), stopping::get, () -> {
                LOG.error("vaultkeep: this node's engine stopped: it was downed or removed from the cluster "
                        + "(another node runs its accounts now); exiting at once; start it again to rejoin");
                Runtime.getRuntime().halt(VaultKeepCli.EXIT_FAILURE);
            });
        }
        stopped.await();
        return 0;
    }

    /**
     * A node of a cluster hands its accounts over as it stops; when that does not finish within
     * {@code limit} (Pekko's actor-system-terminate phase was seen stuck past a minute), it halts:
     * its accounts run elsewhere already, and the journal and repository survive a halt as a kill -9.
     */
    private static void closeWithin(VaultKeepHost host, java.time.Duration limit) {
        Thread closing = new Thread(host::close, "vaultkeep-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            LOG.warn("vaultkeep: the node did not stop within {}; halting (its accounts run on the other nodes)", limit);
            Runtime.getRuntime().halt(SIGTERM_EXIT);
        }
    }

    private void reload(VaultKeepHost host) {
        try {
            LOG.info("vaultkeep: reloaded {}: {}", config, describe(host.reload()));
        } catch (ConfigException e) {
            LOG.error("vaultkeep: {} not reloaded; the running accounts are kept:\n{}", config, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("vaultkeep: reload failed; the running accounts are kept: {}", e.getMessage());
        }
    }

    /** One line: what a reload did, e.g. "added carol; removed bob; 1 unchanged". */
    static String describe(ConfigChanges changes) {
        List<String> parts = new ArrayList<>();
        if (!changes.added().isEmpty()) {
            parts.add("added " + String.join(", ", changes.added()));
        }
        if (!changes.removed().isEmpty()) {
            parts.add("removed " + String.join(", ", changes.removed()));
        }
        if (!changes.changed().isEmpty()) {
            parts.add("restarting " + String.join(", ", changes.changed()));
        }
        parts.add(changes.unchanged().size() + " unchanged");
        if (!changes.needRestart().isEmpty()) {
            parts.add(String.join(", ", changes.needRestart()) + " changed but apply only at a restart");
        }
        return String.join("; ", parts);
    }

    /** The config's log settings with the flags given on top. */
    private HostConfig.LogSettings logSettings(HostConfig.LogSettings configured) {
        HostConfig.LogSettings settings = configured;
        if (logLevel != null) {
            settings = settings.withLevel(HostConfig.LogLevel.named(logLevel)
                    .orElseThrow(() -> new UsageError("--log-level must be error, warn, info, debug or trace, not " + logLevel)));
        }
        if (logFormat != null) {
            settings = settings.withFormat(HostConfig.LogFormat.named(logFormat)
                    .orElseThrow(() -> new UsageError("--log-format must be text or json, not " + logFormat)));
        }
        if (logFile != null) {
            settings = settings.withFile(logFile.toAbsolutePath());
        }
        return settings;
    }
}
