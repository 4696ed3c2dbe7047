package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a new user meets first: help for every command, a readable command list, the version, usage errors. */
class CommandLineHelpTest {


    private static CliRun run(String... args) {
        return CliRun.of(Map.of(), args);
    }

    /** Every command, as registered (a command added later is covered too). */
    private static Map<String, CommandLine> commands() {
        return new CommandLine(new VaultKeepCli(name -> null)).getSubcommands();
    }

    @Test
    void everyCommandAnswersHelpAndHWithItsOwnHelp() {
        assertTrue(commands().size() >= 11, commands().keySet().toString());
        for (String name : commands().keySet()) {
            for (String flag : List.of("--help", "-h")) {
                CliRun r = run(name, flag);
                assertEquals(0, r.exit(), name + " " + flag + ": " + r.err());
                assertEquals("", r.err(), name + " " + flag);
                String usage = name.equals("help") ? "Usage: vaultkeep help" : "Usage: vaultkeep " + name + " ";
                assertTrue(r.out().contains(usage), name + " " + flag + ":\n" + r.out());
            }
        }
    }

    /**
     * A command line naming one command is run with only that command built (start-up, issue 17): the command must be
     * the same there as in the whole command line, every option, default and inherited option, which its help shows.
     */
    @Test
    void aCommandBuiltAloneIsTheCommandOfTheWholeCommandLine() {
        for (String name : commands().keySet()) {
            if (name.equals("help")) {
                assertEquals(null, VaultKeepCli.commandNamedBy(new String[] {"help", "backup"}));
                continue;
            }
            Class<?> alone = VaultKeepCli.commandNamedBy(new String[] {"--debug", name, "--location", "x"});
            assertEquals(commands().get(name).getCommandSpec().userObject().getClass(), alone, name);
            CliRun help = run(name, "--help");
            CliRun whole = run("help", name);
            assertEquals(0, whole.exit(), whole.err());
            assertEquals(whole.out(), help.out(), name);
        }
        Set<String> named = new java.util.HashSet<>(commands().keySet());
        named.remove("help");
        assertEquals(named, VaultKeepCli.commandNames(), "every command, and only those, found by its name alone");
        assertEquals(null, VaultKeepCli.commandNamedBy(new String[] {"bakup"}));
        assertEquals(null, VaultKeepCli.commandNamedBy(new String[] {"--", "backup"}));
        assertTrue(VaultKeepCli.versionOnly(new String[] {"--debug", "-V"}));
        assertFalse(VaultKeepCli.versionOnly(new String[] {"--version", "--help"}));
        assertFalse(VaultKeepCli.versionOnly(new String[] {}));
    }

    @Test
    void theCommandListGivesEachCommandOneWholeSentence() {
        CliRun r = run("help");
        assertEquals(0, r.exit(), r.err());
        Map<String, String> listed = listedCommands(r.out());
        assertEquals(commands().keySet(), listed.keySet(), r.out());
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            var usage = command.getValue().getCommandSpec().usageMessage();
            String summary = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
            String shown = listed.get(command.getKey());
            assertEquals(summary, shown, "the list shows the whole summary of " + command.getKey());
            assertTrue(shown.endsWith("."), command.getKey() + ": a sentence ends: " + shown);
            assertFalse(shown.substring(0, shown.length() - 1).matches(".*[.!?] [A-Z].*"), command.getKey() + ": one sentence: " + shown);
        }
    }

    /** Each command of {@code vaultkeep help}'s list with its text, wrapped lines joined. */
    private static Map<String, String> listedCommands(String help) {
        Map<String, String> listed = new LinkedHashMap<>();
        List<String> lines = help.lines().toList();
        String current = null;
        List<String> text = new ArrayList<>();
        for (String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
            if (line.isBlank()) {
                break;
            }
            if (line.matches("  \\S.*")) {
                if (current != null) {
                    listed.put(current, String.join(" ", text));
                }
                String[] nameAndText = line.strip().split("\\s{2,}", 2);
                current = nameAndText[0];
                text = new ArrayList<>(List.of(nameAndText[1].strip()));
            } else {
                text.add(line.strip());
            }
        }
        listed.put(current, String.join(" ", text));
        return listed;
    }

    @Test
    void versionIsTheProjectsVersionAndTheJavaRuntime() {
        CliRun r = run("--version");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("vaultkeep \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), "the Maven project's version: " + lines.get(0));
        assertTrue(lines.get(1).startsWith("Java " + Runtime.version() + " ("), lines.get(1));
    }

    @Test
    void aUsageErrorIsOneLineThatSaysWhereToLookAndExitsWithTwo() {
        Map<List<String>, String> cases = Map.of(
                List.of("prune", "--location", "/tmp/x"), "vaultkeep: error: Missing required option: '--keep=N' (see 'vaultkeep help prune')",
                List.of("status", "--bogus"), "vaultkeep: error: Unknown option: '--bogus' (see 'vaultkeep help status')",
                List.of("--bogus"), "vaultkeep: error: Unknown option: '--bogus' (see 'vaultkeep help')",
                List.of(), "vaultkeep: error: a command is required (see 'vaultkeep help')",
                List.of("backup", "--location", "/tmp/x"),
                "vaultkeep: error: give either --from FILE (an export) or --bitwarden-server URL (a live account) (see 'vaultkeep help backup')",
                List.of("backup", "--location", "/tmp/x", "--bitwarden-server", "https://vault.example", "--attachments", "/tmp/a"),
                "vaultkeep: error: --attachments applies to --from; a live account's attachments are downloaded (see 'vaultkeep help backup')");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            CliRun r = run(c.getKey().toArray(String[]::new));
            assertEquals(2, r.exit(), c.getKey() + ": " + r.err());
            assertEquals(c.getValue(), r.err().strip(), c.getKey().toString());
            assertEquals("", r.out(), "no usage dump");
        }
    }
}
