package io.vaultkeep.storage.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of a server the engine talks to (a WebDAV location, a Bitwarden server): the JDK's
 * default trust store, plus the certificates of an optional CA file (PEM or DER) for servers with a
 * private CA. Certificates are always verified.
 */
public final class TlsTrust {

    private TlsTrust() {}

    public static SSLContext context(Path caFile) throws IOException {
        try {
            X509TrustManager system = trustManagerOf(null);
            X509TrustManager trust = caFile == null ? system : new EitherTrustManager(system, trustManagerOf(load(caFile)));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trust" + (caFile == null ? "" : " with CA file " + caFile)
                    + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path caFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new IOException("CA file holds no certificate: " + caFile);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + index++, certificate);
        }
        return store;
    }

    /** The X.509 trust manager over {@code store}, or over the JDK's default trust store if null. */
    private static X509TrustManager trustManagerOf(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** Trusts a server chain that either the system or the CA file trusts. */
    private record EitherTrustManager(X509TrustManager system, X509TrustManager extra) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType);
            } catch (CertificateException notTrustedBySystem) {
                extra.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            system.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> issuers = new ArrayList<>(List.of(system.getAcceptedIssuers()));
            issuers.addAll(List.of(extra.getAcceptedIssuers()));
            return issuers.toArray(X509Certificate[]::new);
        }
    }
}
