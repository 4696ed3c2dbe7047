package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.cluster.ClusterMember;
import io.vaultkeep.engine.host.AccountStatus;

import io.vaultkeep.engine.host.Health;
import io.vaultkeep.engine.host.StatusClient;
import io.vaultkeep.engine.wording.Counted;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", header = "Ask the running host how it and its accounts are doing.", description = {
        "State, health (ok, failing, needs attention, stale), last snapshot, next run, failures, and what the last snapshot left out.",
        "Exit code 3 when the host reports itself unhealthy (with ACCOUNT: when that account is not ok), 1 when no host answers."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    HostAddressOptions host;

    @Option(names = "--json", description = "Print {\"health\": …, \"accounts\": […]} (or one account) as JSON.")
    boolean json;

    @Option(names = "--open", description = {"Print a one-time address that opens the host's status page (or ACCOUNT's page) "
            + "in a browser on this machine; it works once, within two minutes, and logs the browser in for 12 hours."})
    boolean open;

    @Parameters(arity = "0..1", paramLabel = "ACCOUNT", description = "Show this account only.")
    String account;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StatusClient client = host.client();
        PrintWriter out = spec.commandLine().getOut();
        if (open) {
            if (json) {
                throw new UsageError("--open and --json exclude each other: give one");
            }
            java.net.URI login = client.pageLogin(account);
            PrintWriter err = spec.commandLine().getErr();
            err.println("open this address in a browser on this machine (it works once, within two minutes):");
            err.flush();
            out.println(login);
            out.flush();
            return 0;
        }
        if (account != null) {
            Optional<AccountStatus> status = client.account(account);
            if (status.isEmpty()) {
                throw new IllegalArgumentException("no account '" + account + "' on the host at " + client.base());
            }
            if (json) {
                out.println(CommandJson.write(status.get()));
            } else {
                printTable(out, List.of(status.get()));
            }
            out.flush();
            return status.get().healthy() ? 0 : VaultKeepCli.EXIT_PROBLEMS_FOUND;
        }
        Health health = client.health();
        List<AccountStatus> accounts = client.accounts();
        List<ClusterMember> members = client.members();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("health", health.healthy() ? Map.of("status", "ok")
                    : Map.of("status", "unhealthy", "reasons", health.reasons(), "accounts", health.accounts()));
            document.put("accounts", accounts);
            if (!members.isEmpty()) {
                document.put("members", members);
            }
            out.println(CommandJson.write(document));
        } else {
            out.println("host " + client.base() + ": " + (health.healthy() ? "ok" : "UNHEALTHY: " + String.join("; ", health.reasons())));
            for (ClusterMember m : members) {
                out.println("member " + m.node() + ": " + m.status() + (m.reachable() ? "" : ", UNREACHABLE") + (m.self() ? " (this node)" : ""));
            }
            printTable(out, accounts);
            for (AccountStatus a : accounts) {
                if (!a.healthy()) {
                    out.println(a.health().words() + ": account " + a.id() + (a.healthReason() == null ? "" : ": " + a.healthReason()));
                }
                a.warnings().forEach(w -> out.println("warning: account " + a.id() + ", last snapshot: " + w));
            }
            out.println(Counted.of(accounts.size(), "account"));
        }
        out.flush();
        return health.healthy() ? 0 : VaultKeepCli.EXIT_PROBLEMS_FOUND;
    }

    private static void printTable(PrintWriter out, List<AccountStatus> accounts) {
        // the NODE column only when some host said where its accounts run (a node of a cluster)
        boolean nodes = accounts.stream().anyMatch(a -> a.node() != null);
        String format = "%-20s  %-11s  %-15s  " + (nodes ? "%-21s  " : "%s") + "%-20s  %-20s  %-20s  %-28s  %8s  %s%n";
        out.printf(format, "ACCOUNT", "STATE", "HEALTH", nodes ? "NODE" : "", "LAST SNAPSHOT", "LAST CHECK", "NEXT DUE",
                "RUN (STAGE, SINCE)", "FAILURES", "LAST ERROR");
        for (AccountStatus a : accounts) {
            String run = a.inFlightRun() == null ? "-" : a.inFlightRun().stage() + ", " + time(a.inFlightRun().startedAt());
            String node = nodes ? (a.node() == null ? "-" : a.node()) : "";
            out.printf(format, a.id(), a.state().wireName(), a.health() == null ? "-" : a.health().words(), node,
                    time(a.lastSnapshotAt()), time(a.lastCheckedAt()), time(a.nextDueAt()), run, a.consecutiveFailures(),
                    a.lastError() == null ? "-" : a.lastError().replace('\n', ' '));
        }
    }

    /** Seconds are enough for a person; the JSON has the full instant. */
    private static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
