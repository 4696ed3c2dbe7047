package io.vaultkeep.engine.transport;

import io.vaultkeep.engine.datadir.DataDir;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files of the cluster port: an unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}, as
 * {@code openssl genpkey} writes it) and X.509 certificates. Keys are written 0600 and read with
 * errors that name the file but never show its content.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemFiles() {}

    public static void writeKey(Path file, PrivateKey key) throws IOException {
        DataDir.writePrivate(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        StringBuilder text = new StringBuilder();
        try {
            for (X509Certificate certificate : certificates) {
                text.append(new String(pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII));
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode a certificate: " + e.getMessage(), e);
        }
        DataDir.writePrivate(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The key in {@code file} (EC or RSA, PKCS#8). */
    public static PrivateKey readKey(Path file) throws IOException {
        List<byte[]> blocks = blocks(file, "PRIVATE KEY");
        if (blocks.size() != 1) {
            throw new IOException(file + " must hold exactly one unencrypted PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0)));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IOException(file + " holds a private key that is neither EC nor RSA");
    }

    /** Every certificate in {@code file}, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(file, "CERTIFICATE")) {
                Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(der));
                certificates.add((X509Certificate) certificate);
            }
        } catch (CertificateException e) {
            throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + " holds no certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + " is not a PEM file");
        }
        List<byte[]> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                try {
                    blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " holds a damaged " + type + " block");
                }
            }
        }
        return blocks;
    }
}
