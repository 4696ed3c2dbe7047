package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.store.LocationProbe;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

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

    /**
     * A failure to write in (or create) the folder location {@code root}, said of the location as
     * the host's config check says it; any other failure as it is.
     */
    static Exception named(Path root, Exception e) {
        if (!(e instanceof FileSystemException failed) || failed.getFile() == null) {
            return e;
        }
        Path file = Path.of(failed.getFile()).toAbsolutePath().normalize();
        if (!file.startsWith(root) && !root.startsWith(file) && !file.startsWith(realPath(root))) {
            return e;
        }
        if ("Read-only file system".equals(failed.getReason())) {
            return new IOException("location " + root + " is not writable (read-only file system)", e);
        }
        if (e instanceof AccessDeniedException) {
            return new IOException("location " + root + " is not writable (permission denied)", e);
        }
        return e;
    }

    private static Path realPath(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return folder;
        }
    }
}
