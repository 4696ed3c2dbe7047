package io.vaultkeep.storage.store.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code rclone serve webdav} of a temp folder on a free loopback port, behind Basic auth. */
final class RcloneDav implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/rclone");
    static final String USER = "vault";
    static final char[] PASSWORD = "rclone-test-password".toCharArray();

    private final Path folder;
    private final ServerProcess server;

    private RcloneDav(Path folder, ServerProcess server) {
        this.folder = folder;
        this.server = server;
    }

    static RcloneDav start() throws IOException {
        ServerProcess.requireBinary(BINARY, "apt-get install -y rclone");
        Path folder = Files.createTempDirectory("vaultkeep-rclone-");
        Path files = Files.createDirectories(folder.resolve("files"));
        int port = ServerProcess.freePort();
        List<String> command = List.of(BINARY.toString(), "serve", "webdav", files.toString(),
                "--addr", "127.0.0.1:" + port,
                "--user", USER, "--pass", new String(PASSWORD),
                // no rclone.conf is needed to serve a local folder; do not read or create one
                "--config", folder.resolve("rclone.conf").toString(),
                // files written behind rclone's back (a stale temp file) show up at once
                "--dir-cache-time", "0s");
        return new RcloneDav(folder, ServerProcess.start("rclone", command, port, folder.resolve("rclone.log")));
    }

    String url(String collection) {
        return "http://127.0.0.1:" + server.port() + "/" + collection;
    }

    Path files() {
        return folder.resolve("files");
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
