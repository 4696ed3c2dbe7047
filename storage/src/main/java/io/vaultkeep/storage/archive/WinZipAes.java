package io.vaultkeep.storage.archive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * WinZip AES-256 (AE-2) on the JDK's AES and HMAC, which use the CPU's AES and SHA instructions
 * (under C2), and {@link Pbkdf2HmacSha1}: PBKDF2-HMAC-SHA1 (1000 iterations, 16-byte salt, UTF-8
 * password bytes) derives the AES key, the HMAC key and a 2-byte password verifier; the data is AES-256 in WinZip's counter mode and
 * authenticated by HMAC-SHA1 over the ciphertext, truncated to 10 bytes.
 */
final class WinZipAes {

    static final int KEY_STRENGTH_256 = 3;
    static final int VENDOR_VERSION_AE2 = 2;
    static final int SALT_LENGTH = 16;
    static final int KEY_LENGTH = 32;
    static final int PASSWORD_VERIFIER_LENGTH = ZipStructure.AES_PASSWORD_VERIFIER_LENGTH;
    static final int AUTHENTICATION_CODE_LENGTH = ZipStructure.AES_AUTHENTICATION_CODE_LENGTH;
    /** Salt and verifier before the ciphertext, authentication code after it. */
    static final int OVERHEAD = SALT_LENGTH + PASSWORD_VERIFIER_LENGTH + AUTHENTICATION_CODE_LENGTH;

    private static final int PBKDF2_ITERATIONS = 1000;
    private static final int BLOCK = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WinZipAes() {
    }

    /** What PBKDF2 derives from the password and an entry's salt. */
    record Keys(SecretKey cipherKey, SecretKey macKey, int passwordVerifier) {
    }

    static byte[] newSalt() {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /** AES-256 keys for one entry, as written. */
    static Keys deriveKeys(char[] password, byte[] salt) {
        return deriveKeys(password, salt, KEY_LENGTH);
    }

    /**
     * Derives the keys for one entry; {@code keyLength} is 16, 24 or 32 (AES-128/192/256, for
     * reading what other writers chose). The password is encoded as the JDK's PBKDF2 encodes it
     * (UTF-8, a lone surrogate replaced), as zip4j does with its UTF-8 password setting (and
     * Keyguard with it); {@link Pbkdf2HmacSha1} derives what the JDK's PBKDF2WithHmacSHA1 would,
     * at half its cost.
     */
    static Keys deriveKeys(char[] password, byte[] salt, int keyLength) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] passwordBytes = new byte[encoded.remaining()];
        encoded.get(passwordBytes);
        byte[] derived = null;
        try {
            derived = Pbkdf2HmacSha1.derive(passwordBytes, salt, PBKDF2_ITERATIONS,
                    2 * keyLength + PASSWORD_VERIFIER_LENGTH);
            return new Keys(new SecretKeySpec(derived, 0, keyLength, "AES"),
                    new SecretKeySpec(derived, keyLength, keyLength, "HmacSHA1"),
                    ZipStructure.u16(derived, 2 * keyLength));
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            encoded.clear();
            while (encoded.hasRemaining()) {
                encoded.put((byte) 0);
            }
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    /**
     * One entry's keystream and MAC, keyed for it; {@link #close} when the entry is done. The JCA finds an engine by
     * searching its providers and constructing the engine by reflection, three times an entry (the cipher, the MAC
     * and the MAC's digest); a cold command that opens a hundred entries paid that a hundred times (BENCHMARKS). So
     * a thread keeps the engines of its last closed entry and keys them again for its next; an entry opened while
     * another is open on the same thread (a copy from one archive into another) gets engines of its own. What a
     * thread keeps is one idle pair, 128 KiB of it the keystream's buffers, zeroed when the entry closes.
     */
    static final class EntryCrypto implements AutoCloseable {
        private static final ThreadLocal<EntryCrypto> IDLE = new ThreadLocal<>();

        private final Keystream keystream = new Keystream();
        private final Mac mac;
        private boolean open;

        private EntryCrypto() {
            try {
                mac = Mac.getInstance("HmacSHA1");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks HmacSHA1", e);
            }
        }

        static EntryCrypto open(Keys keys) {
            EntryCrypto crypto = IDLE.get();
            if (crypto == null) {
                crypto = new EntryCrypto();
            } else {
                IDLE.remove();
            }
            crypto.keystream.key(keys.cipherKey());
            try {
                crypto.mac.init(keys.macKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA1 refused its key", e);
            }
            crypto.open = true;
            return crypto;
        }

        Keystream keystream() {
            requireOpen();
            return keystream;
        }

        Mac mac() {
            requireOpen();
            return mac;
        }

        private void requireOpen() {
            if (!open) {
                throw new IllegalStateException("the entry's crypto is closed");
            }
        }

        /** The entry is done with these engines: its thread's next entry keys them again. Idempotent. */
        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            keystream.forget();
            mac.reset();
            if (IDLE.get() == null) {
                IDLE.set(this);
            }
        }
    }

    /** The first 10 bytes of the HMAC: what AE-2 stores after the ciphertext. */
    static byte[] authenticationCode(Mac mac) {
        return Arrays.copyOf(mac.doFinal(), AUTHENTICATION_CODE_LENGTH);
    }

    /**
     * WinZip's counter mode: the counter starts at 1 and sits little-endian in the block's first
     * bytes, so the JCE's "AES/CTR" (a big-endian increment of the whole block) does not fit.
     * Counter blocks are made in bulk and encrypted with "AES/ECB/NoPadding", which runs many
     * blocks per call on the CPU's AES instructions; the keystream is then XORed in. Encryption
     * and decryption are the same operation. zip4j writes the counter as 32 bits; the 64 bits
     * here agree with it for the first 64 GiB of an entry, far beyond the 4 GiB entries allow.
     */
    static final class Keystream {
        private static final int CHUNK = 64 * 1024;
        private static final VarHandle LONG_LE =
                MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        private final Cipher aes;
        // upper 8 bytes of every counter block stay zero
        private final byte[] counters = new byte[CHUNK];
        private final byte[] keystream = new byte[CHUNK];
        private long nextCounter = 1;
        private int position;
        private int available;

        Keystream(Keys keys) {
            this();
            key(keys.cipherKey());
        }

        /** Not keyed yet: {@link #key} before use. */
        private Keystream() {
            try {
                aes = Cipher.getInstance("AES/ECB/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks AES/ECB/NoPadding", e);
            }
        }

        /** Starts the keystream of {@code cipherKey} from its first block. */
        private void key(SecretKey cipherKey) {
            try {
                aes.init(Cipher.ENCRYPT_MODE, cipherKey);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES refused its key", e);
            }
            nextCounter = 1;
            position = 0;
            available = 0;
        }

        /** Drops the keystream bytes made so far. */
        private void forget() {
            Arrays.fill(keystream, (byte) 0);
            position = 0;
            available = 0;
        }

        /** XORs the next {@code length} keystream bytes into {@code data}, in place. */
        void apply(byte[] data, int offset, int length) {
            while (length > 0) {
                if (available == 0) {
                    refill(Math.min(CHUNK, (length + BLOCK - 1) / BLOCK * BLOCK));
                }
                int n = Math.min(length, available);
                xor(data, offset, n);
                position += n;
                available -= n;
                offset += n;
                length -= n;
            }
        }

        /** Eight bytes at a time: a byte loop over two arrays at different offsets is not vectorized. */
        private void xor(byte[] data, int offset, int length) {
            int i = 0;
            for (; i <= length - 8; i += 8) {
                LONG_LE.set(data, offset + i, (long) LONG_LE.get(data, offset + i)
                        ^ (long) LONG_LE.get(keystream, position + i));
            }
            for (; i < length; i++) {
                data[offset + i] ^= keystream[position + i];
            }
        }

        private void refill(int bytes) {
            for (int at = 0; at < bytes; at += BLOCK) {
                LONG_LE.set(counters, at, nextCounter++);
            }
            try {
                if (aes.update(counters, 0, bytes, keystream, 0) != bytes) {
                    throw new IllegalStateException("AES/ECB returned a partial keystream");
                }
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            position = 0;
            available = bytes;
        }
    }
}
