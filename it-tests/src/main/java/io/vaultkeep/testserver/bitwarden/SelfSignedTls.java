package io.vaultkeep.testserver.bitwarden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A fresh self-signed certificate for 127.0.0.1 (made with openssl), as the server's TLS identity;
 * its PEM file is the CA file clients trust ({@code NODE_EXTRA_CA_CERTS} for the official CLI).
 */
public final class SelfSignedTls {

    private static final char[] STORE_PASSWORD = "test-server-keystore".toCharArray();

    private final Path certificate;
    private final SSLContext context;

    private SelfSignedTls(Path certificate, SSLContext context) {
        this.certificate = certificate;
        this.context = context;
    }

    public static SelfSignedTls create(Path folder) throws IOException {
        Path key = folder.resolve("server-key.pem");
        Path cert = folder.resolve("server-cert.pem");
        Path p12 = folder.resolve("server.p12");
        run(folder, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()));
        run(folder, List.of("openssl", "pkcs12", "-export", "-inkey", key.toString(), "-in", cert.toString(),
                "-out", p12.toString(), "-passout", "pass:" + new String(STORE_PASSWORD)));
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new SelfSignedTls(cert, context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the test server's certificate", e);
        }
    }

    /** The certificate (PEM): trust it as a CA to talk to the server. */
    public Path caFile() {
        return certificate;
    }

    SSLContext context() {
        return context;
    }

    private static void run(Path folder, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command.subList(0, 2)) + " failed (apt-get install -y openssl): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
