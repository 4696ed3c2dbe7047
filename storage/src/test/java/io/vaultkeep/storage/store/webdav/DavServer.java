package io.vaultkeep.storage.store.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real WebDAV server the tests start on loopback, serving the folder {@link #files()} behind
 * Basic auth; closing it stops the process and removes its folder.
 */
public abstract class DavServer implements AutoCloseable {

    private final Path folder;
    private final ServerProcess server;

    DavServer(Path folder, ServerProcess server) {
        this.folder = folder;
        this.server = server;
    }

    /** The URL of a collection under the share, e.g. {@code url("t1")}. */
    public abstract String url(String collection);

    public abstract String user();

    public abstract char[] password();

    public int port() {
        return server.port();
    }

    /** The folder the server serves, to look at what is really stored. */
    public Path files() {
        return folder.resolve("files");
    }

    /** The server's own working folder (configuration, logs). */
    Path folder() {
        return folder;
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
