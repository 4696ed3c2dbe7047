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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Apache httpd with mod_dav/mod_dav_fs on a free loopback port, configured from scratch in a temp
 * folder (no system config, no service): {@code /} is a WebDAV share behind Basic auth, and under
 * {@code /nomove/} every MOVE is answered 405, as by a server that cannot move. With
 * {@link #startHttps()} it serves https with a certificate of its own (for 127.0.0.1), whose PEM file
 * {@link #caFile()} gives. Public for the end-to-end tests in it-tests.
 */
public final class ApacheDav extends DavServer {

    public static final Path BINARY = Path.of("/usr/sbin/apache2");
    private static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final String RUN_AS = "www-data"; // Apache refuses to serve as root

    public static final String USER = "vault";
    public static final char[] PASSWORD = "apache-test-password".toCharArray();

    private final boolean https;

    private ApacheDav(Path folder, ServerProcess server, boolean https) {
        super(folder, server);
        this.https = https;
    }

    /** Plain http. */
    public static ApacheDav start() throws IOException {
        return start(false);
    }

    /** https with a fresh self-signed certificate for 127.0.0.1 (see {@link #caFile()}). */
    public static ApacheDav startHttps() throws IOException {
        return start(true);
    }

    private static ApacheDav start(boolean https) throws IOException {
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
        if (https) {
            selfSignedCertificate(folder);
        }
        int port = ServerProcess.freePort();
        Path config = folder.resolve("httpd.conf");
        Files.writeString(config, config(folder, port, root, https));
        ServerProcess server = ServerProcess.start("apache2",
                List.of(BINARY.toString(), "-f", config.toString(), "-DFOREGROUND"), port, folder.resolve("stdout.log"));
        return new ApacheDav(folder, server, https);
    }

    /** cert.pem (also the CA file: it signs itself) and key.pem, for IP 127.0.0.1, with openssl. */
    private static void selfSignedCertificate(Path folder) throws IOException {
        ServerProcess.requireBinary(Path.of("/usr/bin/openssl"), "apt-get install -y openssl");
        Process openssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", folder.resolve("key.pem").toString(), "-out", folder.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("openssl.log").toFile()).start();
        try {
            if (openssl.waitFor() != 0) {
                throw new IOException("openssl could not make a test certificate: " + Files.readString(folder.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        // Apache reads the key after dropping to www-data.
        Files.setPosixFilePermissions(folder.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String config(Path folder, int port, boolean root, boolean https) {
        StringBuilder conf = new StringBuilder();
        List<String> modules = new java.util.ArrayList<>(List.of("mpm_event", "authn_core", "authn_file", "auth_basic",
                "authz_core", "authz_user", "dav", "dav_fs", "rewrite"));
        if (https) {
            modules.addAll(List.of("socache_shmcb", "ssl"));
        }
        for (String module : modules) {
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
        if (https) {
            conf.append("""
                    SSLEngine on
                    SSLCertificateFile %1$s/cert.pem
                    SSLCertificateKeyFile %1$s/key.pem
                    SSLSessionCache shmcb:%1$s/run/ssl_scache(512000)
                    """.formatted(folder));
        }
        return conf.toString();
    }

    @Override
    public String url(String collection) {
        return (https ? "https" : "http") + "://127.0.0.1:" + port() + "/" + collection;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public char[] password() {
        return PASSWORD.clone();
    }

    /** The certificate an https server presents (self-signed, so also its CA); null for http. */
    public Path caFile() {
        return https ? folder().resolve("cert.pem") : null;
    }

    /** The access log: one line per request, "METHOD PATH STATUS cl=... te=... ow=...". */
    public List<String> accessLog() throws IOException {
        Path log = folder().resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /**
     * The access log's lines that {@code which} selects, once there are at least {@code count} of them or 5 s
     * have passed: Apache writes a request's line after its response has gone out, so a client that has its
     * response may look before the line is there.
     */
    public List<String> accessLog(java.util.function.Predicate<String> which, int count) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<String> lines = accessLog().stream().filter(which).toList();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lines;
            }
        }
    }

    public String errorLog() {
        try {
            return Files.readString(folder().resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
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

    /**
     * One server for a whole test class, started before its first test and stopped after its last:
     * {@code @RegisterExtension static final ApacheDav.PerClass APACHE = ApacheDav.perClass();}
     */
    public static PerClass perClass() {
        return new PerClass(false);
    }

    /** As {@link #perClass()}, serving https (see {@link #startHttps()}). */
    public static PerClass perClassHttps() {
        return new PerClass(true);
    }

    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private final boolean https;
        private ApacheDav server;

        private PerClass(boolean https) {
            this.https = https;
        }

        /** The running server. */
        public ApacheDav server() {
            return server;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            server = start(https);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
