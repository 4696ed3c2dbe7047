package io.vaultkeep.engine.host;

import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.wording.Counted;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what accounts announce that their actors do not log themselves: commits and prunes. A
 * failed run and an unchanged one are logged once, by the account's actor (with the run's stage
 * and the retry time), so they are left out here.
 */
public final class NoticeLog {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeLog.class);

    private NoticeLog() {}

    public static void log(BackupNotice notice) {
        if (notice instanceof BackupNotice.SnapshotCommitted c) {
            String warnings = c.warnings().stream().map(w -> "; warning: " + w).collect(Collectors.joining());
            if (warnings.isEmpty()) {
                LOG.info("account {}: snapshot {} committed{}", c.accountId(), c.snapshotId(), c.foundOnRecovery() ? " (found on recovery)" : "");
            } else {
                LOG.warn("account {}: snapshot {} committed{}{}", c.accountId(), c.snapshotId(), c.foundOnRecovery() ? " (found on recovery)" : "", warnings);
            }
        } else if (notice instanceof BackupNotice.SnapshotsPruned p) {
            LOG.info("account {}: pruned {}, {}", p.accountId(), Counted.of(p.deletedSnapshots(), "snapshot"), Counted.of(p.deletedBlobs(), "blob"));
        }
    }
}
