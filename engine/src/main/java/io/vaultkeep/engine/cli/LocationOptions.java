package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --location}: where the repository lives. */
public final class LocationOptions {

    @Option(names = "--location", required = true, paramLabel = "PATH",
            description = "The repository's location: a local folder.")
    String location;

    ObjectStore open() throws IOException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            throw new IllegalArgumentException("WebDAV locations are not supported yet: give a local folder");
        }
        return FolderStore.open(Path.of(location));
    }
}
