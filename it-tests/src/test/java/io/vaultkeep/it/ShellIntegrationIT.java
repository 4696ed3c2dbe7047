package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.cli.VaultKeepCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The shell completion and man pages the build generates from the command line's picocli model, as
 * {@code scripts/install-completion} installs them: bash completes commands and options from them,
 * man renders a page for every command with its one-sentence header.
 */
class ShellIntegrationIT {

    @TempDir
    static Path prefix;

    @BeforeAll
    static void install() throws Exception {
        ToolProcess.require("bash", "bash");
        ToolProcess.require("man", "man-db");
        Launcher.Result installed = ToolProcess.run(Launcher.REPO_ROOT, Map.of(),
                List.of(Launcher.REPO_ROOT.resolve("scripts/install-completion").toString(), "--prefix", prefix.toString()));
        assertEquals(0, installed.exit(), installed.out() + installed.err());
    }

    private static Map<String, CommandLine> commands() {
        return new CommandLine(new VaultKeepCli()).getSubcommands();
    }

    /** What bash offers for the last word of {@code line}, with the installed script loaded. */
    private static Set<String> complete(String... words) throws Exception {
        String script = """
                compopt() { :; }   # only valid inside a real completion; the offers are what is tested
                source "$0"
                COMP_WORDS=("${@}"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
                _complete_vaultkeep
                printf '%s\\n' "${COMPREPLY[@]}"
                """;
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", script,
                prefix.resolve("share/bash-completion/completions/vaultkeep").toString()));
        command.addAll(List.of(words));
        Launcher.Result r = ToolProcess.run(prefix, Map.of(), command);
        assertEquals(0, r.exit(), r.err());
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    @Test
    void bashCompletesEveryCommandAndItsOptions() throws Exception {
        Set<String> offered = complete("vaultkeep", "");
        assertTrue(offered.containsAll(commands().keySet()), offered.toString());
        assertEquals(Set.of("diff"), complete("vaultkeep", "di"));
        assertEquals(Set.of("--password-env", "--password-file"), complete("vaultkeep", "restore", "--password-"));
        assertEquals(Set.of("--show-secrets"), complete("vaultkeep", "diff", "--show"));
        assertTrue(complete("vaultkeep", "backup", "--").containsAll(List.of("--from", "--client-id-file", "--keep", "--help")));
    }

    @Test
    void everyCommandHasAManPageWithItsHeader() throws Exception {
        Path man1 = prefix.resolve("share/man/man1");
        try (Stream<Path> pages = Files.list(man1)) {
            Set<String> names = pages.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            Set<String> expected = commands().keySet().stream().map(c -> "vaultkeep-" + c + ".1").collect(Collectors.toSet());
            expected.add("vaultkeep.1");
            assertEquals(expected, names);
        }
        Map<String, String> rendered = new java.util.HashMap<>();
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            Launcher.Result page = ToolProcess.run(prefix, Map.of("MANWIDTH", "200"),
                    List.of("man", "-l", man1.resolve("vaultkeep-" + command.getKey() + ".1").toString()));
            assertEquals(0, page.exit(), page.err());
            String header = command.getValue().getCommandSpec().usageMessage().header()[0];
            assertTrue(page.out().contains("vaultkeep-" + command.getKey() + " - " + header), page.out());
            rendered.put(command.getKey(), page.out());
        }
        String diff = rendered.get("diff");
        assertTrue(diff.contains("--show-secrets"), diff);
        assertTrue(diff.contains("--password-file=FILE"), diff);
    }
}
