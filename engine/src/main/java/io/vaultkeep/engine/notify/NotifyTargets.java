package io.vaultkeep.engine.notify;

import java.net.URI;

/** Shared wording for targets. */
final class NotifyTargets {

    private NotifyTargets() {}

    /** scheme://host:port/path: a token in a URL's user info or query stays out of logs. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort())
                + (url.getPath() == null ? "" : url.getPath());
    }
}
