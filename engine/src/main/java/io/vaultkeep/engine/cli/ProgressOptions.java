package io.vaultkeep.engine.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --quiet}, and whether long work shows its progress: only on a terminal, never with --quiet or --json. */
public final class ProgressOptions {

    private static final int DEFAULT_WIDTH = 80;

    @Option(names = "--quiet", description = "Show no progress on the terminal.")
    boolean quiet;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** A progress line on stderr when on a terminal (System.console(): stdin and stdout are one), else {@link Progress#off()}. */
    Progress start(String label, boolean json) {
        if (quiet || json || System.console() == null) {
            return Progress.off();
        }
        return new Progress(label, mixee.commandLine().getErr(), width(CommandLineRoot.of(mixee).environment.apply("COLUMNS")), System::nanoTime);
    }

    /** The terminal's width as the shell exports it, else 80. */
    static int width(String columns) {
        try {
            int width = columns == null ? DEFAULT_WIDTH : Integer.parseInt(columns.trim());
            return width >= 20 ? width : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }
}
