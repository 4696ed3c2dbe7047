package io.vaultkeep.engine.transport;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security of the cluster port (Pekko Artery). It speaks TLS 1.3 with mutual authentication:
 * a peer must present a certificate the trust file names (or one signed by it), so a process that
 * cannot read this node's key cannot join the cluster, send it a message, or read one. Settings
 * ({@code vaultkeep.cluster-tls}): {@code key-file}, {@code cert-file}, {@code trust-file} (PEM);
 * {@code generate}: make a self-signed key and certificate on first start when the key file is
 * missing (the embedded single node: it trusts only itself); {@code insecure-transport}: accept a
 * plain {@code tcp} transport, for a port something else protects.
 */
public final class ClusterTransport {

    public static final String SETTINGS = "vaultkeep.cluster-tls";
    public static final String TRANSPORT = "pekko.remote.artery.transport";
    public static final String ENGINE_PROVIDER = "pekko.remote.artery.ssl.ssl-engine-provider";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTransport.class);

    /** The files of one node's identity and of what it trusts. */
    public record KeyFiles(Path key, Path certificate, Path trust) {
        static KeyFiles of(Config settings) {
            return new KeyFiles(Path.of(settings.getString("key-file")), Path.of(settings.getString("cert-file")),
                    Path.of(settings.getString("trust-file")));
        }
    }

    private ClusterTransport() {}

    /**
     * Checks the transport before the actor system starts, and makes the embedded node's key when it
     * has none yet: a plain transport is refused unless {@code insecure-transport} says otherwise,
     * and key files that cannot be used are reported here, by name, rather than as a failed handshake.
     */
    public static void prepare(Config pekkoConfig) throws IOException {
        String transport = pekkoConfig.getString(TRANSPORT);
        Config settings = pekkoConfig.getConfig(SETTINGS);
        if (!transport.equals("tls-tcp")) {
            if (!settings.getBoolean("insecure-transport")) {
                throw new IOException("the cluster port would speak plain " + transport + ": every local user could join"
                        + " the cluster and drive this host; use tls-tcp (the default), or set insecure-transport = true"
                        + " when something else protects the port");
            }
            LOG.warn("the cluster port speaks plain {} (insecure-transport = true): whoever reaches it can join the cluster"
                    + " and drive this host", transport);
            return;
        }
        if (!pekkoConfig.getString(ENGINE_PROVIDER).equals(ClusterTlsEngineProvider.class.getName())) {
            return; // an embedding host's own TLS setup (e.g. Pekko's keystore provider): its business
        }
        KeyFiles files = KeyFiles.of(settings);
        if (settings.getBoolean("generate") && !Files.exists(files.key())) {
            ClusterCertificates.Identity self = ClusterCertificates.selfSigned("vaultkeep node");
            PemFiles.writeCertificates(files.certificate(), List.of(self.certificate()));
            PemFiles.writeKey(files.key(), self.key());
            if (!files.trust().equals(files.certificate())) {
                PemFiles.writeCertificates(files.trust(), List.of(self.certificate()));
            }
        }
        sslContext(files);
    }

    /** A TLS 1.3 context with this node's key and only the trust file's certificates as authorities. */
    static SSLContext sslContext(KeyFiles files) throws IOException {
        PrivateKey key = PemFiles.readKey(files.key());
        List<X509Certificate> chain = PemFiles.readCertificates(files.certificate());
        List<X509Certificate> trusted = PemFiles.readCertificates(files.trust());
        try {
            char[] none = new char[0]; // in-memory stores only: the files' modes protect the key
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, none);
            keys.setKeyEntry("node", key, none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, none);
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, none);
            for (int i = 0; i < trusted.size(); i++) {
                anchors.setCertificateEntry("trusted-" + i, trusted.get(i));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(anchors);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("the cluster key " + files.key() + " and certificate " + files.certificate()
                    + " cannot be used: " + e.getMessage(), e);
        }
    }
}
