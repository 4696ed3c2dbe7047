package io.vaultkeep.engine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vaultkeep}: the command line, every command. Every failure is one clear line; stack traces only with --debug.
 * Every command answers {@code -h}/{@code --help} (inherited from the root) with its own help. The root's own options
 * and what its commands ask of it are {@link CommandLineRoot}'s; this class adds the commands, which is the model
 * picocli's completion and man page generators build (by reflection) and what {@code help} lists.
 */
@Command(subcommands = {
        RunCommand.class,
        InitCommand.class,
        TestLocationCommand.class,
        BackupCommand.class,
        SnapshotsCommand.class,
        RestoreCommand.class,
        DiffCommand.class,
        DumpCommand.class,
        CheckCommand.class,
        PruneCommand.class,
        RepairCommand.class,
        StatusCommand.class,
        BackupNowCommand.class,
        ReloadCommand.class,
        ClusterKeysCommand.class,
        CommandLine.HelpCommand.class
})
public final class VaultKeepCli extends CommandLineRoot {

    /** Exit code when {@code check} finds a damaged repository. */
    public static final int EXIT_PROBLEMS_FOUND = 3;
    public static final int EXIT_FAILURE = 1;
    /** The location holds no repository (restic's 10). */
    public static final int EXIT_NO_REPOSITORY = 10;
    /** Another writer holds the repository's lock for longer than this one waits (restic's 11). */
    public static final int EXIT_LOCKED = 11;
    /** The backup password is wrong, missing for an encrypted repository, or given for a plain one (restic's 12). */
    public static final int EXIT_WRONG_PASSWORD = 12;
    /** The work stopped at damage: an unreadable newest index, a corrupt or forged object ({@code check} then says what). */
    public static final int EXIT_DAMAGED = 13;

    /** The exit code a failure means; {@link #EXIT_FAILURE} for anything without its own. */
    static int exitCodeOf(Throwable e) {
        Throwable t = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof io.vaultkeep.storage.repository.NoRepositoryException) {
            return EXIT_NO_REPOSITORY;
        }
        if (t instanceof io.vaultkeep.storage.lock.RepositoryLockedException) {
            return EXIT_LOCKED;
        }
        if (t instanceof WrongBackupPasswordException || t instanceof io.vaultkeep.storage.repository.PasswordModeException) {
            return EXIT_WRONG_PASSWORD;
        }
        // an ArchiveException here is an object the repository's own key or checksums do not accept
        if (t instanceof io.vaultkeep.storage.repository.DamagedIndexException
                || t instanceof io.vaultkeep.storage.repository.UnexpectedKeyException
                || t instanceof io.vaultkeep.storage.archive.ArchiveException) {
            return EXIT_DAMAGED;
        }
        return EXIT_FAILURE;
    }

    VaultKeepCli(java.util.function.UnaryOperator<String> environment) {
        super(environment);
    }

    /** The command model as picocli's completion and man page generators build it (by reflection), on the process environment. */
    public VaultKeepCli() {
        this(System::getenv);
    }

    /** Asks on the terminal without echo; a clear error when there is no terminal to ask on. */
    static char[] prompt(String label, String howElse) {
        java.io.Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask for the " + label + ": " + howElse);
        }
        char[] value = console.readPassword(label.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + label.substring(1) + ": ");
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("no " + label + " entered");
        }
        return value;
    }

    /** Asks for a new secret twice, so a typo cannot lock the user out of what it protects. */
    static char[] promptNew(String label, String howElse) {
        char[] first = prompt(label, howElse);
        char[] again = prompt("same " + label + " again", howElse);
        boolean same = java.util.Arrays.equals(first, again);
        java.util.Arrays.fill(again, '\0');
        if (!same) {
            java.util.Arrays.fill(first, '\0');
            throw new IllegalArgumentException("the " + label + "s do not match");
        }
        return first;
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System::getenv));
    }

    /** Runs one command line; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, java.util.function.UnaryOperator<String> environment) {
        CommandLine cli;
        CommandLineRoot root;
        Class<?> named = commandNamedBy(args);
        if (named != null || versionOnly(args)) {
            // picocli reflects over every command it is given, which a one-shot command need not pay for
            root = new CommandLineRoot(environment);
            cli = new CommandLine(root);
            if (named != null) {
                cli.addSubcommand(named);
            }
        } else {
            root = new VaultKeepCli(environment);
            cli = new CommandLine(root);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(VaultKeepCli::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageError) {
                return usageError(commandLine, describe(e));
            }
            boolean debug = parseResult.matchedOption("--debug") != null || root.debug
                    || parseResult.subcommand() != null && parseResult.subcommand().matchedOption("--debug") != null;
            commandLine.getErr().println("vaultkeep: error: " + describe(e));
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return exitCodeOf(e);
        });
        return cli.execute(args);
    }

    /**
     * Each command by its name, as {@code subcommands} above declares them ({@code CommandLineHelpTest} holds the two
     * equal): found without reading every command's annotations, which a one-shot command need not pay for either.
     */
    private static final java.util.Map<String, Class<?>> COMMANDS = java.util.Map.ofEntries(
            java.util.Map.entry("run", RunCommand.class),
            java.util.Map.entry("init", InitCommand.class),
            java.util.Map.entry("test-location", TestLocationCommand.class),
            java.util.Map.entry("backup", BackupCommand.class),
            java.util.Map.entry("snapshots", SnapshotsCommand.class),
            java.util.Map.entry("restore", RestoreCommand.class),
            java.util.Map.entry("diff", DiffCommand.class),
            java.util.Map.entry("dump", DumpCommand.class),
            java.util.Map.entry("check", CheckCommand.class),
            java.util.Map.entry("prune", PruneCommand.class),
            java.util.Map.entry("repair", RepairCommand.class),
            java.util.Map.entry("status", StatusCommand.class),
            java.util.Map.entry("backup-now", BackupNowCommand.class),
            java.util.Map.entry("reload", ReloadCommand.class),
            java.util.Map.entry("cluster-keys", ClusterKeysCommand.class));

    /**
     * The command a command line runs, when it names one before any other word: the first argument that is not an
     * option (the root's options take no values). Null for {@code help}, an unknown word, or none: those need every
     * command (to list them, or to say which were meant).
     */
    static Class<?> commandNamedBy(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                return COMMANDS.get(arg);
            }
        }
        return null;
    }

    /** The names {@link #commandNamedBy} knows. */
    static java.util.Set<String> commandNames() {
        return COMMANDS.keySet();
    }

    /** Whether a command line only asks for the version (the root alone answers it). */
    static boolean versionOnly(String[] args) {
        boolean version = false;
        for (String arg : args) {
            switch (arg) {
                case "-V", "--version" -> version = true;
                case "--debug" -> { }
                default -> {
                    return false;
                }
            }
        }
        return version;
    }

    /** A usage error: one line naming it and where the command's help is, exit 2 (not the whole usage). */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        return usageError(e.getCommandLine(), describe(e));
    }

    private static int usageError(CommandLine command, String message) {
        String name = command.getCommandSpec().qualifiedName(" ");
        String help = name.equals("vaultkeep") ? "vaultkeep help" : "vaultkeep help " + name.substring("vaultkeep ".length());
        command.getErr().println("vaultkeep: error: " + message + " (see '" + help + "')");
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** One line that says what went wrong, whatever the exception. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder: " + message;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + message;
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists: " + message;
        }
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** The project's version (written into version.properties by the Maven build) and the Java runtime it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties build = new java.util.Properties();
            try (java.io.InputStream in = VaultKeepCli.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new java.io.IOException("version.properties is missing from the build");
                }
                build.load(in);
            }
            return new String[] {
                    "vaultkeep " + build.getProperty("version"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                            + ") on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
