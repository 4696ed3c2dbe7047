package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.VaultKeepHost;
import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.engine.account.BackupNotice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", header = "Run the backup host, which backs up every account in the config after each change.", description = {
        "Each account is watched and backed up after the quiet window that follows a change, its state",
        "journaled in the data folder. Stops on Ctrl-C or SIGTERM."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The host's config (vaultkeep.conf).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostConfig hostConfig;
        try {
            hostConfig = HostConfigLoader.load(config, VaultKeepCli.of(spec).environment);
        } catch (ConfigException e) {
            err.println(e.getMessage()); // one line per problem, each with its file, line and path
            err.flush();
            return VaultKeepCli.EXIT_FAILURE;
        }
        int configured = hostConfig.accounts().size();
        out.printf("vaultkeep: starting %s from %s (data-dir %s)%n", Counted.of(configured, "account"), config, hostConfig.dataDir());
        out.flush();
        VaultKeepHost host = VaultKeepHost.start(hostConfig, VaultKeepHost.LocationRetry.DEFAULT, new VaultKeepHost.Progress() {
            @Override
            public void accountStarted(String id) {
                out.println("vaultkeep: account " + id + " started");
                out.flush();
            }

            @Override
            public void accountNotStarted(String id, String reason) {
                err.println("vaultkeep: account " + id + " not started: " + reason);
                err.flush();
            }
        }, VaultKeepCli.of(spec).environment);
        host.engine().subscribe(notice -> {
            out.println(describe(notice));
            out.flush();
        });
        int started = host.engine().accountIds().size();
        out.printf("vaultkeep: running %s%s; status at http://%s:%d (vaultkeep status --config %s); stop with Ctrl-C%n",
                Counted.of(started, "account"), started == configured ? "" : " of " + configured,
                hostConfig.status().host(), host.statusPort(), config);
        out.flush();
        // SIGHUP re-reads the config (as POST /reload does) instead of stopping the JVM
        Signal.handle(new Signal("HUP"), signal -> reload(host, out, err));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "vaultkeep-shutdown"));
        stopped.await();
        return 0;
    }

    private void reload(VaultKeepHost host, PrintWriter out, PrintWriter err) {
        try {
            ConfigChanges changes = host.reload();
            out.println("vaultkeep: reloaded " + config + ": " + describe(changes));
            out.flush();
        } catch (ConfigException e) {
            err.println("vaultkeep: " + config + " not reloaded; the running accounts are kept:");
            err.println(e.getMessage());
            err.flush();
        } catch (RuntimeException e) {
            err.println("vaultkeep: reload failed; the running accounts are kept: " + e.getMessage());
            err.flush();
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

    private static String describe(BackupNotice notice) {
        if (notice instanceof BackupNotice.SnapshotCommitted c) {
            return "account " + c.accountId() + ": snapshot " + c.snapshotId() + " committed" + (c.foundOnRecovery() ? " (found on recovery)" : "")
                    + c.warnings().stream().map(w -> "; warning: " + w).collect(java.util.stream.Collectors.joining());
        }
        if (notice instanceof BackupNotice.Unchanged u) {
            return "account " + u.accountId() + ": unchanged; snapshot " + u.snapshotId() + " is current";
        }
        if (notice instanceof BackupNotice.BackupFailed f) {
            return "account " + f.accountId() + ": backup failed (" + f.kind() + "): " + f.message()
                    + (f.nextRetryAt() == null ? "" : "; next try at " + f.nextRetryAt());
        }
        BackupNotice.SnapshotsPruned p = (BackupNotice.SnapshotsPruned) notice;
        return "account " + p.accountId() + ": pruned " + Counted.of(p.deletedSnapshots(), "snapshot") + ", " + Counted.of(p.deletedBlobs(), "blob");
    }
}
