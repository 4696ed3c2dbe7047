package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.host.StatusClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "reload", header = "Ask the running host to re-read its config file (as SIGHUP does).",
        description = {"Accounts added start, removed ones stop, changed ones restart once their work in progress is "
                + "done; unchanged ones are not touched. Host-wide settings (data-dir, limits, status, cluster, debounce) "
                + "apply only at a restart. A broken config is reported with its file and line and changes nothing."})
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    HostAddressOptions host;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StatusClient client = host.client();
        ConfigChanges changes = client.reload();
        spec.commandLine().getOut().println("the host at " + client.base() + " reloaded its config: " + RunCommand.describe(changes));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
