package io.vaultkeep.engine.cli;

import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vaultkeep} root command without its commands: its own options, and what the commands ask of it (the
 * environment their {@code --…-env} options read). {@link VaultKeepCli} adds every command; a command line that names
 * one command is run on this root with only that command added, since picocli's reflection over a command costs a
 * one-shot command more CPU than its class loading (issue 17).
 */
@Command(name = "vaultkeep",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VaultKeepCli.Version.class,
        description = "Keyguard-compatible, versioned backups of Bitwarden and Vaultwarden vaults.")
class CommandLineRoot implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where secrets named by {@code --…-env} options are looked up (the process environment, or a test's). */
    final UnaryOperator<String> environment;

    CommandLineRoot(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** The root command of the command line a mixin or subcommand belongs to. */
    static CommandLineRoot of(CommandLine.Model.CommandSpec spec) {
        return (CommandLineRoot) spec.root().userObject();
    }

    /** A secret from the environment variable an option names: a clear error when it is unset or empty. */
    char[] secretFromEnvironment(String option, String variable) {
        String value = environment.apply(variable);
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + variable + " (" + option + ") is not set");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + variable + " (" + option + ") is empty");
        }
        return value.toCharArray();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
