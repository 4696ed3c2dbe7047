package io.vaultkeep.engine.account;

import io.vaultkeep.storage.repository.BackupRun;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The runs an account's children have opened and not closed. An open run holds the repository's
 * writer lock (and keeps refreshing it), and passes from the blob dedup, which opens and plans it,
 * to the snapshot writer, which finishes it: whatever happens to either actor, a run must be closed
 * once, or the lock would outlive it. So every run opened is registered here, and when the account's
 * children stop, every run still open is closed. Thread-safe: runs open and close on the blocking
 * dispatcher.
 */
final class OpenRuns {

    /** An opened and planned run: the repository it holds, and the warnings the source gave with its vault. */
    record OpenRun(RepositoryAccess access, BackupRun run, List<String> warnings) {}

    private final Set<OpenRun> open = new HashSet<>();
    private final Consumer<String> debugLog;
    private boolean stopped;

    /** @param debugLog where a failing close is mentioned (it only delays the lock's expiry) */
    OpenRuns(Consumer<String> debugLog) {
        this.debugLog = debugLog;
    }

    /** Registers a run just opened; if the children already stopped, it is closed at once and refused. */
    OpenRun register(OpenRun run) {
        synchronized (open) {
            if (!stopped) {
                open.add(run);
                return run;
            }
        }
        closeAccess(run);
        throw new IllegalStateException("the account's actors stopped while a run was being opened");
    }

    /** Closes a run (once: closing it again, or after {@link #closeAll}, does nothing). */
    void close(OpenRun run) {
        if (run == null) {
            return;
        }
        boolean stillOpen;
        synchronized (open) {
            stillOpen = open.remove(run);
        }
        if (stillOpen) {
            closeAccess(run);
        }
    }

    private void closeAccess(OpenRun run) {
        try {
            run.access().close();
        } catch (IOException e) {
            debugLog.accept("closing a repository failed: " + e.getMessage());
        }
    }

    /** The children stopped: every run still open is closed, and none may be opened any more. */
    void closeAll() {
        List<OpenRun> left;
        synchronized (open) {
            stopped = true;
            left = new ArrayList<>(open);
            open.clear();
        }
        left.forEach(this::closeAccess);
    }
}
