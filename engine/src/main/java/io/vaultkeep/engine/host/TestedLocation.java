package io.vaultkeep.engine.host;

import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.storage.store.LocationUnfitException;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;

/**
 * An account's location as a cluster node opens it: Keyguard's location test runs at the first open
 * on this node, that is on the node sharding runs the account on, instead of on every node for every
 * account at start (a flushed write and a delete each: hours of them at a million accounts).
 *
 * <p>A location that cannot be opened throws as it would at any run (the entity retries with its
 * backoff). One that answers but fails the test throws {@link LocationUnfitException}, a failure that
 * needs attention, and is tested again at the next open: a location fixed by its operator is taken
 * without a restart. Once passed, later opens on this node are not tested again.
 */
final class TestedLocation implements AccountSettings.LocationOpener {

    private final AccountSettings.LocationOpener location;
    private final Runnable passed;
    private volatile boolean tested;

    /** @param passed told once, when the location first passes its test on this node */
    TestedLocation(AccountSettings.LocationOpener location, Runnable passed) {
        this.location = location;
        this.passed = passed;
    }

    @Override
    public ObjectStore open() throws IOException {
        ObjectStore store = location.open();
        if (tested) {
            return store;
        }
        synchronized (this) { // a run and the status page may open at once: one test between them
            if (!tested) {
                LocationTest test;
                try {
                    test = LocationTest.on(store);
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
                if (test instanceof LocationTest.Failed failed) {
                    store.close();
                    throw new LocationUnfitException(failed.reason());
                }
                tested = true;
                passed.run();
            }
        }
        return store;
    }
}
