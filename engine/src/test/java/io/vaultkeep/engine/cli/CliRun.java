package io.vaultkeep.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One command line run in-process, as {@code vaultkeep} would run it: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

    /** @param environment what the command sees as its environment ({@code *-env} options read it) */
    static CliRun of(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = VaultKeepCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), environment::get);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
