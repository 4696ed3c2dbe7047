package io.vaultkeep.storage.store;

import java.io.IOException;

/**
 * The location answered but failed Keyguard's location test ({@link LocationProbe}): it cannot keep
 * a repository (a write that is not whole, a read that comes back wrong). Retrying alone will not
 * help; the location or its settings must be fixed.
 */
public class LocationUnfitException extends IOException {

    public LocationUnfitException(String message) {
        super(message);
    }
}
