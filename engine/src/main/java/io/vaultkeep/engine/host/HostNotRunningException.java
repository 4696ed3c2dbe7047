package io.vaultkeep.engine.host;

import java.io.IOException;
import java.net.URI;

/** Nothing answers at the status address: no host runs there (or it is still starting). */
public final class HostNotRunningException extends IOException {

    private final URI statusUri;

    public HostNotRunningException(URI statusUri, Throwable cause) {
        super("no VaultKeep host answering at " + statusUri + " — start one with `vaultkeep run --config FILE`", cause);
        this.statusUri = statusUri;
    }

    public URI statusUri() {
        return statusUri;
    }
}
