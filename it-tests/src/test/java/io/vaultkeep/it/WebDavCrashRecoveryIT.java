package io.vaultkeep.it;

import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * 50 accounts backing up to a real Apache mod_dav over https (its own CA file, Basic auth), the host
 * killed with SIGKILL mid-run 12 times: every WebDAV repository resumes and checks clean.
 */
class WebDavCrashRecoveryIT extends CrashRecoveryScenario {

    private ApacheDav apache;

    WebDavCrashRecoveryIT() {
        super(50, 12);
    }

    @BeforeEach
    void startApache() throws IOException {
        apache = ApacheDav.startHttps();
    }

    @AfterEach
    void stopApache() throws IOException {
        if (apache != null) {
            apache.close();
        }
    }

    @Override
    String locationBlock(int account) {
        return "location { webdav { url = \"" + apache.url("acct" + account) + "\", user = \"" + ApacheDav.USER
                + "\", password-env = \"WEBDAV_PW\", ca-file = \"" + apache.caFile() + "\" } }";
    }

    @Override
    Map<String, String> locationEnvironment() {
        return Map.of("WEBDAV_PW", new String(ApacheDav.PASSWORD));
    }

    @Override
    ObjectStore openLocation(int account) throws IOException {
        return WebDavStore.open(apache.url("acct" + account), ApacheDav.USER, ApacheDav.PASSWORD, apache.caFile());
    }
}
