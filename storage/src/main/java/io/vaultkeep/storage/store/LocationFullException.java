package io.vaultkeep.storage.store;

import java.io.IOException;

/** The location has no room left (ENOSPC, WebDAV 507). Retrying will not help until space is freed. */
public final class LocationFullException extends IOException {
    public LocationFullException(String location, Throwable cause) {
        super("location full: " + location, cause);
    }
}
