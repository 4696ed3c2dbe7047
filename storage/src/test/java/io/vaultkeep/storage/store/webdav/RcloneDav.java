package io.vaultkeep.storage.store.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code rclone serve webdav} of a temp folder on a free loopback port, behind Basic auth. */
final class RcloneDav extends DavServer {

    static final Path BINARY = Path.of("/usr/bin/rclone");
    static final String USER = "vault";
    static final char[] PASSWORD = "rclone-test-password".toCharArray();

    private RcloneDav(Path folder, ServerProcess server) {
        super(folder, server);
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

    @Override
    public String url(String collection) {
        return "http://127.0.0.1:" + port() + "/" + collection;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public char[] password() {
        return PASSWORD.clone();
    }
}
