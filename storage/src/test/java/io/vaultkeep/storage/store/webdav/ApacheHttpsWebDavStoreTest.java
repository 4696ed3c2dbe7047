package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS is verified: a self-signed Apache is trusted only through its CA file, never by default. */
class ApacheHttpsWebDavStoreTest {

    @RegisterExtension
    static final ApacheDav.PerClass APACHE = ApacheDav.perClassHttps();

    @Test
    void withTheServersCaFileObjectsRoundTripOverHttps() throws IOException {
        try (ObjectStore store = WebDavStore.open(APACHE.server().url("tls-ok"), ApacheDav.USER, ApacheDav.PASSWORD, APACHE.server().caFile())) {
            store.create("repo.json", ObjectContent.ofBytes("{\"over\":\"tls\"}".getBytes(StandardCharsets.UTF_8)));
            try (InputStream in = store.read("repo.json")) {
                assertArrayEquals("{\"over\":\"tls\"}".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
            }
            assertTrue(store.describe().contains("https://127.0.0.1:"), store.describe());
        }
        assertTrue(Files.exists(APACHE.server().files().resolve("tls-ok/repo.json")));
    }

    @Test
    void anUntrustedCertificateIsRefusedAndNothingIsSent() throws IOException {
        long putsBefore = APACHE.server().accessLog().stream().filter(l -> l.startsWith("PUT ") || l.startsWith("MKCOL ")).count();
        IOException e = assertThrows(IOException.class,
                () -> WebDavStore.open(APACHE.server().url("tls-refused"), ApacheDav.USER, ApacheDav.PASSWORD, null));
        String message = String.valueOf(e.getMessage()) + " " + e.getCause();
        assertTrue(message.toLowerCase().contains("certif") || message.contains("PKIX"), message);
        assertFalse(message.contains(new String(ApacheDav.PASSWORD)), message);
        assertFalse(Files.exists(APACHE.server().files().resolve("tls-refused")));
        long putsAfter = APACHE.server().accessLog().stream().filter(l -> l.startsWith("PUT ") || l.startsWith("MKCOL ")).count();
        assertEquals(putsBefore, putsAfter, "no request got through an unverified TLS connection");
    }

    @Test
    void aCaFileOfAnotherAuthorityDoesNotTrustTheServer(@TempDir Path temp) throws IOException {
        // a certificate that is valid PEM but did not sign the server's
        try (ApacheDav other = ApacheDav.startHttps()) {
            Path wrongCa = Files.copy(other.caFile(), temp.resolve("other-ca.pem"));
            IOException e = assertThrows(IOException.class,
                    () -> WebDavStore.open(APACHE.server().url("tls-wrong-ca"), ApacheDav.USER, ApacheDav.PASSWORD, wrongCa));
            String message = String.valueOf(e.getMessage()) + " " + e.getCause();
            assertTrue(message.toLowerCase().contains("certif") || message.contains("PKIX"), message);
        }
        assertFalse(Files.exists(APACHE.server().files().resolve("tls-wrong-ca")));
    }

    @Test
    void aCaFileWithoutACertificateIsAClearError(@TempDir Path temp) throws IOException {
        Path empty = Files.writeString(temp.resolve("empty.pem"), "not a certificate\n");
        IOException e = assertThrows(IOException.class,
                () -> WebDavStore.open(APACHE.server().url("tls-bad-ca"), ApacheDav.USER, ApacheDav.PASSWORD, empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }
}
