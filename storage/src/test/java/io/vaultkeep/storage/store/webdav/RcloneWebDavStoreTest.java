package io.vaultkeep.storage.store.webdav;

import java.io.IOException;

/** The contract suite, and what is particular to WebDAV, against a real {@code rclone serve webdav}. */
class RcloneWebDavStoreTest extends WebDavStoreContractTest {

    @Override
    protected DavServer startServer() throws IOException {
        return RcloneDav.start();
    }
}
