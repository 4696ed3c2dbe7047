package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every secret the command line takes from the environment it also takes from a file (systemd credentials, container secrets). */
class SecretTwinsTest {

    @Test
    void everyEnvOptionHasAFileTwinOnTheSameCommand() {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, CommandLine> command : new CommandLine(new VaultKeepCli(name -> null)).getSubcommands().entrySet()) {
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                String name = option.longestName();
                if (!name.endsWith("-env")) {
                    continue;
                }
                String twin = name.substring(0, name.length() - "-env".length()) + "-file";
                OptionSpec file = command.getValue().getCommandSpec().findOption(twin);
                assertTrue(file != null, command.getKey() + " has " + name + " but not " + twin);
                assertEquals(java.nio.file.Path.class, file.type(), twin);
                assertEquals("FILE", file.paramLabel(), twin);
                checked.add(command.getKey() + " " + name);
            }
        }
        // the repository commands' --password-env and the secrets of backup and restore at least
        assertTrue(checked.containsAll(List.of("backup --password-env", "backup --client-secret-env", "backup --user-key-env",
                "restore --master-password-env", "restore --export-password-env", "diff --webdav-password-env")), checked.toString());
    }
}
