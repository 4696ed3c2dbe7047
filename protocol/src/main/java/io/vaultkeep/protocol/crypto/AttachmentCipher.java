package io.vaultkeep.protocol.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * Attachment files: the binary EncString {@code [0x02][iv 16][mac 32][ciphertext]}, in memory or streamed.
 *
 * <p>Streaming decryption makes two passes over a {@link ReopenableSource}: the first computes the MAC over
 * iv ‖ ciphertext and writes nothing; only if it matches does the second pass decrypt into the output.
 * The second pass recomputes the MAC and fails if the source changed in between, in which case the
 * caller must discard what was written. A download, which can be read only once, is verified while its
 * ciphertext is copied to a spool ({@link #verifyWhileCopying}), then decrypted from the spool
 * ({@link #decrypting}). Legacy type-0 buffers have no MAC and are decrypted in one pass under an AES-only key.
 */
public final class AttachmentCipher {

    private static final int CHUNK = 64 * 1024;

    private AttachmentCipher() {
    }

    /** Encrypts to {@code [0x02][iv][mac][ciphertext]} with a fresh IV. */
    public static byte[] encrypt(byte[] plaintext, SymmetricKey key) {
        return SymmetricEncString.encrypt(plaintext, key).toBuffer();
    }

    /** Decrypts a whole buffer in memory; see {@link SymmetricEncString#decrypt(SymmetricKey, String)} for errors. */
    public static byte[] decrypt(byte[] encrypted, SymmetricKey key, String field) {
        return SymmetricEncString.fromBuffer(encrypted, field).decrypt(key, field);
    }

    /**
     * Streams {@code encrypted} into {@code plaintext}, verifying the MAC over the whole source before the
     * first byte is written. {@code field} labels errors (e.g. the attachment id) and may be null.
     *
     * @return the number of plaintext bytes written
     * @throws MacMismatchException wrong key or damaged data (nothing written), or the source changed
     *     between the passes (discard the output)
     */
    public static long decrypt(ReopenableSource encrypted, SymmetricKey key, OutputStream plaintext, String field)
            throws IOException {
        Header header;
        try (InputStream in = encrypted.open()) {
            header = verifyPass(in, key, field, null);
        }
        try (InputStream in = encrypted.open()) {
            Header again = Header.read(in, key, field);
            if (!header.sameAs(again)) {
                throw changedBetweenPasses(field);
            }
            Cipher cipher = AesCbcHmac.cipher(Cipher.DECRYPT_MODE, key, header.iv);
            Mac mac = header.mac == null ? null : AesCbcHmac.macOverIv(key, header.iv);
            long[] written = {0};
            long length = copy(in, mac, cipher, chunk -> {
                plaintext.write(chunk);
                written[0] += chunk.length;
            });
            if (mac != null && !MessageDigest.isEqual(mac.doFinal(), header.mac)) {
                throw changedBetweenPasses(field);
            }
            header.checkCiphertextLength(length, field);
            byte[] last = finish(cipher, header, field);
            plaintext.write(last);
            written[0] += last.length;
            Arrays.fill(last, (byte) 0);
            return written[0];
        }
    }

    /**
     * The first half of decrypting an attachment that can be read only once (a download) without
     * holding it in memory: reads {@code encrypted} to its end (not closing it), copying its
     * ciphertext unchanged to {@code ciphertextCopy} (a private spool; never plaintext) while the MAC
     * is computed. Decrypt the copy with {@link #decrypting} only after this returned.
     *
     * @throws MacMismatchException wrong key or damaged data (discard the copy)
     */
    public static Verified verifyWhileCopying(InputStream encrypted, SymmetricKey key, OutputStream ciphertextCopy,
                                              String field) throws IOException {
        return new Verified(verifyPass(encrypted, key, field, ciphertextCopy));
    }

    /**
     * The verifying pass: reads the header and the rest of {@code in} through the MAC, passing the
     * ciphertext unchanged to {@code raw} when given (without one, a type-0 buffer, which has no MAC,
     * is not read further). @return the header, its MAC checked
     */
    private static Header verifyPass(InputStream in, SymmetricKey key, String field, OutputStream raw) throws IOException {
        Header header = Header.read(in, key, field);
        Mac mac = header.mac == null ? null : AesCbcHmac.macOverIv(key, header.iv);
        if (mac == null && raw == null) {
            return header;
        }
        long length = copy(in, mac, null, null, raw);
        header.checkCiphertextLength(length, field);
        if (mac != null && !MessageDigest.isEqual(mac.doFinal(), header.mac)) {
            throw new MacMismatchException(field, "MAC mismatch on encrypted buffer type 2: wrong key, or the "
                    + "data was damaged or tampered with");
        }
        return header;
    }

    /**
     * The second half: the plaintext of a copy {@link #verifyWhileCopying} checked, decrypted as it is
     * read. The MAC is computed again on the way and checked at the end, so a copy that changed since
     * fails the read (discard what was read). Closing the stream closes {@code ciphertext}.
     */
    public static InputStream decrypting(Verified verified, InputStream ciphertext, SymmetricKey key, String field) {
        return new DecryptingStream(ciphertext, verified.header, key, field);
    }

    /** What {@link #verifyWhileCopying} established about an attachment: its header, MAC checked. */
    public static final class Verified {
        private final Header header;

        private Verified(Header header) {
            this.header = header;
        }
    }

    /** Plaintext of a verified ciphertext, decrypted chunk by chunk. */
    private static final class DecryptingStream extends InputStream {
        private final InputStream ciphertext;
        private final Header header;
        private final String field;
        private final Cipher cipher;
        private final Mac mac;
        private final byte[] chunk = new byte[CHUNK];
        private byte[] pending = new byte[0];
        private int pendingOffset;
        private boolean finished;

        DecryptingStream(InputStream ciphertext, Header header, SymmetricKey key, String field) {
            this.ciphertext = ciphertext;
            this.header = header;
            this.field = field;
            this.cipher = AesCbcHmac.cipher(Cipher.DECRYPT_MODE, key, header.iv);
            this.mac = header.mac == null ? null : AesCbcHmac.macOverIv(key, header.iv);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pendingOffset == pending.length) {
                if (finished) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, pending.length - pendingOffset);
            System.arraycopy(pending, pendingOffset, b, off, n);
            pendingOffset += n;
            return n;
        }

        private void fill() throws IOException {
            Arrays.fill(pending, (byte) 0);
            int n = ciphertext.read(chunk);
            if (n > 0) {
                if (mac != null) {
                    mac.update(chunk, 0, n);
                }
                byte[] out = cipher.update(chunk, 0, n);
                pending = out == null ? new byte[0] : out;
            } else if (n < 0) {
                if (mac != null && !MessageDigest.isEqual(mac.doFinal(), header.mac)) {
                    throw changedBetweenPasses(field);
                }
                pending = finish(cipher, header, field);
                finished = true;
            } else {
                pending = new byte[0];
            }
            pendingOffset = 0;
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(pending, (byte) 0);
            ciphertext.close();
        }
    }

    /**
     * Streams {@code plaintext} into {@code encrypted} as {@code [0x02][iv][mac][ciphertext]}. The MAC comes
     * before the ciphertext, so the source is read twice: once to compute the MAC, once to write.
     *
     * @return the number of bytes written
     * @throws IOException also when the source changed between the passes (the output is then invalid)
     */
    public static long encrypt(ReopenableSource plaintext, SymmetricKey key, OutputStream encrypted) throws IOException {
        if (!key.hasMac()) {
            throw new WrongKeyTypeException(null, "a legacy AES-only key cannot encrypt: VaultKeep writes type 2 only");
        }
        byte[] iv = AesCbcHmac.randomIv();
        byte[] mac;
        try (InputStream in = plaintext.open()) {
            mac = encryptPass(in, key, iv, null);
        }
        encrypted.write(EncType.AES_CBC_256_HMAC_SHA256_B64.code());
        encrypted.write(iv);
        encrypted.write(mac);
        long[] written = {1 + iv.length + mac.length};
        byte[] again;
        try (InputStream in = plaintext.open()) {
            again = encryptPass(in, key, iv, chunk -> {
                encrypted.write(chunk);
                written[0] += chunk.length;
            });
        }
        if (!MessageDigest.isEqual(mac, again)) {
            throw new IOException("the plaintext source changed between the two encryption passes; the output is invalid");
        }
        return written[0];
    }

    /** Encrypts the stream, feeding the MAC and, when given, the sink; returns the MAC. */
    private static byte[] encryptPass(InputStream in, SymmetricKey key, byte[] iv, ChunkSink sink) throws IOException {
        Cipher cipher = AesCbcHmac.cipher(Cipher.ENCRYPT_MODE, key, iv);
        Mac mac = AesCbcHmac.macOverIv(key, iv);
        byte[] buffer = new byte[CHUNK];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                byte[] out = cipher.update(buffer, 0, n);
                if (out != null) {
                    mac.update(out);
                    if (sink != null) {
                        sink.accept(out);
                    }
                }
            }
            byte[] last = cipher.doFinal();
            mac.update(last);
            if (sink != null) {
                sink.accept(last);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC encryption failed", e);
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    /** Copies the rest of {@code in} through the MAC and cipher (each optional); returns the bytes read. */
    private static long copy(InputStream in, Mac mac, Cipher cipher, ChunkSink sink) throws IOException {
        return copy(in, mac, cipher, sink, null);
    }

    /** As above, also passing the bytes read, unchanged, to {@code raw} when given. */
    private static long copy(InputStream in, Mac mac, Cipher cipher, ChunkSink sink, OutputStream raw) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long length = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            length += n;
            if (raw != null) {
                raw.write(buffer, 0, n);
            }
            if (mac != null) {
                mac.update(buffer, 0, n);
            }
            if (cipher != null) {
                byte[] out = cipher.update(buffer, 0, n);
                if (out != null && out.length > 0) {
                    sink.accept(out);
                    Arrays.fill(out, (byte) 0);
                }
            }
        }
        return length;
    }

    private static byte[] finish(Cipher cipher, Header header, String field) {
        try {
            return cipher.doFinal();
        } catch (GeneralSecurityException e) {
            if (header.mac != null) {
                throw new CorruptDataException(field, "encrypted buffer type 2 has a valid MAC but invalid padding: "
                        + "its producer encrypted malformed data", e);
            }
            throw new DecryptionFailedException(field, "encrypted buffer type 0 did not decrypt: wrong key or damaged "
                    + "data (type 0 has no MAC to tell them apart)", e);
        }
    }

    private static MacMismatchException changedBetweenPasses(String field) {
        return new MacMismatchException(field, "the encrypted source changed between MAC verification and decryption; "
                + "discard the output");
    }

    @FunctionalInterface
    private interface ChunkSink {
        void accept(byte[] chunk) throws IOException;
    }

    /** The type byte, IV and (type 2) MAC at the start of an encrypted buffer. */
    private record Header(int type, byte[] iv, byte[] mac) {

        static Header read(InputStream in, SymmetricKey key, String field) throws IOException {
            int type = in.read();
            if (type < 0) {
                throw new InvalidEncStringException(field, "the encrypted buffer is empty");
            }
            switch (type) {
                case 2 -> {
                    if (!key.hasMac()) {
                        throw new WrongKeyTypeException(field, "encrypted buffer type 2 needs a key with a MAC half; "
                                + "this is a legacy AES-only key");
                    }
                    return new Header(type, readFully(in, AesCbcHmac.IV_LENGTH, type, field),
                            readFully(in, AesCbcHmac.MAC_LENGTH, type, field));
                }
                case 0 -> {
                    if (key.hasMac()) {
                        throw new WrongKeyTypeException(field, "encrypted buffer type 0 (no MAC) refused under a key "
                                + "that has a MAC half (downgrade protection)");
                    }
                    return new Header(type, readFully(in, AesCbcHmac.IV_LENGTH, type, field), null);
                }
                case 7 -> throw new UnsupportedEncStringException(field, 7,
                        "encrypted buffer type 7 (COSE, Bitwarden's V2 encryption) is not supported");
                default -> throw new InvalidEncStringException(field, "unknown encrypted buffer type " + type);
            }
        }

        private static byte[] readFully(InputStream in, int length, int type, String field) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new InvalidEncStringException(field, "encrypted buffer type " + type + ": the header is truncated");
            }
            return bytes;
        }

        void checkCiphertextLength(long length, String field) {
            if (!AesCbcHmac.isValidCiphertextLength(length)) {
                throw new InvalidEncStringException(field, "encrypted buffer type " + type + ": the ciphertext must be a "
                        + "non-empty multiple of 16 bytes, found " + length);
            }
        }

        boolean sameAs(Header other) {
            return type == other.type && Arrays.equals(iv, other.iv) && Arrays.equals(mac, other.mac);
        }
    }
}
