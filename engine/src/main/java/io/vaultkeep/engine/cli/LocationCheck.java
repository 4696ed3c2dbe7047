package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.store.LocationProbe;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;

/** Keyguard's location test, as a precondition for putting a repository somewhere. */
final class LocationCheck {

    private LocationCheck() {}

    static LocationProbe.Result probe(ObjectStore store) {
        return new LocationProbe(store).run();
    }

    /** @throws IOException naming the step that failed, when the location cannot hold a repository */
    static void requireHealthy(ObjectStore store) throws IOException {
        LocationProbe.Result result = probe(store);
        if (!result.ok()) {
            LocationProbe.Step failed = result.firstFailure().orElseThrow();
            throw new IOException("location test failed at " + store.describe() + ": " + failed.name() + ": " + failed.detail());
        }
    }
}
