package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.host.StatusClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "backup-now", header = "Ask the running host to back an account up now, without waiting for the quiet window.",
        description = "The account starts a backup at once; the host answers when it has taken the request.")
final class BackupNowCommand implements Callable<Integer> {

    @Mixin
    HostAddressOptions host;

    @Parameters(paramLabel = "ACCOUNT", description = "The account's id in the host's config.")
    String account;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StatusClient client = host.client();
        if (!client.backupNow(account)) {
            throw new IllegalArgumentException("no account '" + account + "' on the host at " + client.base());
        }
        spec.commandLine().getOut().println("backup of " + account + " requested from the host at " + client.base()
                + " (see `vaultkeep status " + account + "`)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
