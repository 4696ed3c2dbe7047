package io.vaultkeep.engine.transport;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys and certificates for the cluster port, made in-process (EC P-256, ECDSA with SHA-256): a
 * node's self-signed certificate for the embedded single node, or a cluster authority and the node
 * certificates it signs for a cluster of several. Signing runs on the JDK's own providers.
 */
public final class ClusterCertificates {

    /** A private key with its certificate. */
    public record Identity(PrivateKey key, X509Certificate certificate) {}

    private static final Duration NODE_VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterCertificates() {}

    /** A node that trusts only itself: its certificate is its own authority. */
    public static Identity selfSigned(String nodeName) throws IOException {
        KeyPair pair = newKeyPair();
        X500Name name = new X500Name("CN=" + nodeName);
        return new Identity(pair.getPrivate(), sign(builder(name, name, pair, true), pair.getPrivate()));
    }

    /** A cluster's authority: every node certificate it signs is trusted by every node that trusts it. */
    public static Identity authority(String clusterName) throws IOException {
        return selfSigned(clusterName + " cluster authority");
    }

    /** A node certificate signed by {@code authority}. */
    public static Identity issue(Identity authority, String nodeName) throws IOException {
        KeyPair pair = newKeyPair();
        X500Name issuer = X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
        return new Identity(pair.getPrivate(),
                sign(builder(issuer, new X500Name("CN=" + nodeName), pair, false), authority.key()));
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, boolean authority)
            throws IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM).abs(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(NODE_VALIDITY)), subject, pair.getPublic());
        // a node both accepts connections and makes them: mutual TLS needs both purposes
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(authority
                ? KeyUsage.digitalSignature | KeyUsage.keyCertSign
                : KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        return builder;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws IOException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IOException("cannot sign a cluster certificate: " + e.getMessage(), e);
        }
    }
}
