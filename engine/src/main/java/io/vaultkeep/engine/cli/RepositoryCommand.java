package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.BackupRepository;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** What every repository command shares: the location, the password, and where output goes. */
abstract class RepositoryCommand implements Callable<Integer> {

    @Mixin
    LocationOptions location;

    @Mixin
    PasswordOptions password;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** One warning line on stderr: {@code warning: LINE}. */
    void warn(String line) {
        err().println("warning: " + line);
    }

    /**
     * Takes the repository's writer lock for this command (one writer at a time): waiting writers
     * see "vaultkeep COMMAND"; a stale lock taken over is a warning line.
     */
    WriterLock.Holding lockFor(BackupRepository repository, String command, LockWaitOption wait) throws java.io.IOException {
        return repository.lockAs("vaultkeep " + command, wait.rule(), this::warn).lock();
    }

    void printJson(Object value) throws Exception {
        out().println(CommandJson.write(value));
        out().flush();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
