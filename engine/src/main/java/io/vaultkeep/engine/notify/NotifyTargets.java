package io.vaultkeep.engine.notify;

import java.net.URI;

/** Shared wording for targets. */
final class NotifyTargets {

    private NotifyTargets() {}

    /** scheme://host:port only: webhook and ping URLs often carry their token in the path (Slack, healthchecks.io). */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + "/…";
    }
}
