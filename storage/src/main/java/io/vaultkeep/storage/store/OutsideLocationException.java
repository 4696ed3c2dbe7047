package io.vaultkeep.storage.store;

import java.io.IOException;

/**
 * A key that would lead out of the location: one of its folders is a symbolic link (which a store
 * never follows), or it resolves to a place outside the store's root. Nothing was read, written or
 * deleted.
 */
public class OutsideLocationException extends IOException {
    public OutsideLocationException(String key, String why) {
        super("refusing key " + key + ": " + why);
    }
}
