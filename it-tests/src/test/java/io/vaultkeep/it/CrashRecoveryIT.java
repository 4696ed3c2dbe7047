package io.vaultkeep.it;

import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;

/** 20 accounts backing up into local folders, the host killed with SIGKILL 30 times. */
class CrashRecoveryIT extends CrashRecoveryScenario {

    CrashRecoveryIT() {
        super(20, 30);
    }

    @Override
    String locationBlock(int account) {
        return "location { folder { path = \"backups/acct" + account + "\" } }";
    }

    @Override
    ObjectStore openLocation(int account) throws IOException {
        return FolderStore.open(work.resolve("backups/acct" + account));
    }
}
