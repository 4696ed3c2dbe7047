package io.vaultkeep.storage.store.webdav;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Apache httpd with mod_dav/mod_dav_fs on a free loopback port, configured from scratch in a temp
 * folder (no system config, no service): {@code /} is a WebDAV share behind Basic auth, and under
 * {@code /nomove/} every MOVE is answered 405, as by a server that cannot move.
 */
final class ApacheDav implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/apache2");
    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final String RUN_AS = "www-data"; // Apache refuses to serve as root

    static final String USER = "vault";
    static final char[] PASSWORD = "apache-test-password".toCharArray();

    private final Path folder;
    private final ServerProcess server;

    private ApacheDav(Path folder, ServerProcess server) {
        this.folder = folder;
        this.server = server;
    }

    static ApacheDav start() throws IOException {
        ServerProcess.requireBinary(BINARY, "apt-get install -y apache2");
        Path folder = Files.createTempDirectory("vaultkeep-apache-");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path files = Files.createDirectories(folder.resolve("files"));
        Path lock = Files.createDirectories(folder.resolve("lock"));
        Files.createDirectories(folder.resolve("run"));
        Files.createDirectories(files.resolve("nomove"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
            for (Path owned : List.of(files, files.resolve("nomove"), lock)) {
                Files.setOwner(owned, users.lookupPrincipalByName(RUN_AS));
            }
        }
        Files.writeString(folder.resolve("htpasswd"), USER + ":{SHA}" + sha1Base64(new String(PASSWORD)) + "\n");
        int port = ServerProcess.freePort();
        Path config = folder.resolve("httpd.conf");
        Files.writeString(config, config(folder, port, root));
        ServerProcess server = ServerProcess.start("apache2",
                List.of(BINARY.toString(), "-f", config.toString(), "-DFOREGROUND"), port, folder.resolve("stdout.log"));
        return new ApacheDav(folder, server);
    }

    private static String config(Path folder, int port, boolean root) {
        StringBuilder conf = new StringBuilder();
        for (String module : List.of("mpm_event", "authn_core", "authn_file", "auth_basic", "authz_core", "authz_user",
                "dav", "dav_fs", "rewrite")) {
            conf.append("LoadModule ").append(module).append("_module ")
                    .append(MODULES.resolve("mod_" + module + ".so")).append('\n');
        }
        if (root) {
            conf.append("User ").append(RUN_AS).append("\nGroup ").append(RUN_AS).append('\n');
        }
        conf.append("""
                ServerName 127.0.0.1
                Listen 127.0.0.1:%2$d
                DefaultRuntimeDir %1$s/run
                PidFile %1$s/run/httpd.pid
                ErrorLog %1$s/error.log
                LogLevel warn
                LogFormat "%%m %%U %%>s cl=%%{Content-Length}i te=%%{Transfer-Encoding}i ow=%%{Overwrite}i" dav
                CustomLog %1$s/access.log dav
                Timeout 20
                DocumentRoot %1$s/files
                DavLockDB %1$s/lock/davlock
                <Directory />
                  Require all denied
                </Directory>
                <Directory %1$s/files>
                  Dav On
                  Options None
                  AllowOverride None
                  AuthType Basic
                  AuthName "vaultkeep test"
                  AuthUserFile %1$s/htpasswd
                  Require valid-user
                </Directory>
                RewriteEngine On
                RewriteCond %%{REQUEST_METHOD} =MOVE
                RewriteRule ^/nomove/ - [R=405,L]
                """.formatted(folder, port));
        return conf.toString();
    }

    int port() {
        return server.port();
    }

    /** The URL of a collection under the share, e.g. {@code url("t1")}. */
    String url(String collection) {
        return "http://127.0.0.1:" + port() + "/" + collection;
    }

    /** The folder Apache serves, to look at what is really stored. */
    Path files() {
        return folder.resolve("files");
    }

    /** The access log: one line per request, "METHOD PATH STATUS cl=... te=... ow=...". */
    List<String> accessLog() throws IOException {
        Path log = folder.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    String errorLog() {
        try {
            return Files.readString(folder.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
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

    private static String sha1Base64(String password) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
