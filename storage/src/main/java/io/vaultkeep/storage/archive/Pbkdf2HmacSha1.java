package io.vaultkeep.storage.archive;

import java.util.Arrays;

/**
 * PBKDF2 with HMAC-SHA1 (RFC 8018, section 5.2), the key derivation WinZip AES requires once per
 * encrypted entry. The JDK's {@code PBKDF2WithHmacSHA1} hashes the HMAC's padded key blocks again
 * in every iteration: four SHA-1 compressions per round. Here the states after the inner and outer
 * key blocks are computed once and every round starts from them, and a round's 20-byte message is
 * one block whose padding is fixed, so a round is two compressions on ints, without byte
 * conversions or allocation. This matters most where the command line runs, on C1 alone, where
 * the JDK's SHA-1 is plain Java too (its intrinsic is C2's).
 *
 * <p>Byte for byte the JDK's result ({@code Pbkdf2HmacSha1Test}: RFC 6070's vectors and random
 * inputs against the JDK). Intermediate values derived from the password are zeroed before
 * returning.
 */
final class Pbkdf2HmacSha1 {

    private static final int BLOCK_BYTES = 64;
    private static final int DIGEST_BYTES = 20;
    private static final int[] IV = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    /** A round's message (20 bytes) after a key block: its length in bits, as SHA-1's padding ends. */
    private static final int ROUND_BITS = (BLOCK_BYTES + DIGEST_BYTES) * 8;

    private Pbkdf2HmacSha1() {
    }

    /** {@code length} bytes of PBKDF2-HMAC-SHA1 of the password's bytes, as the JDK derives them. */
    static byte[] derive(byte[] password, byte[] salt, int iterations, int length) {
        if (iterations < 1 || length < 1) {
            throw new IllegalArgumentException("PBKDF2 needs at least one iteration and one byte of output");
        }
        int[] w = new int[80];
        int[] inner = new int[5];
        int[] outer = new int[5];
        int[] digest = new int[5];
        int[] u = new int[5];
        int[] t = new int[5];
        byte[] key = new byte[BLOCK_BYTES];
        byte[] message = Arrays.copyOf(salt, salt.length + 4);
        byte[] out = new byte[length];
        try {
            // HMAC's key: hashed first if longer than a block, then zero-padded to one
            if (password.length > BLOCK_BYTES) {
                hash(IV, 0, password, w, digest);
                intsToBytes(digest, key, 0, DIGEST_BYTES);
            } else {
                System.arraycopy(password, 0, key, 0, password.length);
            }
            for (int i = 0; i < BLOCK_BYTES; i++) {
                key[i] ^= 0x36;
            }
            loadBlock(key, 0, w);
            compress(IV, w, inner);
            for (int i = 0; i < BLOCK_BYTES; i++) {
                key[i] ^= 0x36 ^ 0x5c;
            }
            loadBlock(key, 0, w);
            compress(IV, w, outer);

            for (int block = 1, at = 0; at < length; block++, at += DIGEST_BYTES) {
                message[salt.length] = (byte) (block >>> 24);
                message[salt.length + 1] = (byte) (block >>> 16);
                message[salt.length + 2] = (byte) (block >>> 8);
                message[salt.length + 3] = (byte) block;
                // U1 = HMAC(salt || INT(block)): the inner hash over a message of any length
                hash(inner, BLOCK_BYTES, message, w, digest);
                hmacOuter(outer, digest, w, u);
                System.arraycopy(u, 0, t, 0, 5);
                for (int round = 1; round < iterations; round++) {
                    // U(n) = HMAC(U(n-1)): both hashes are one block of a 20-byte message
                    hmacOuter(inner, u, w, digest);
                    hmacOuter(outer, digest, w, u);
                    t[0] ^= u[0];
                    t[1] ^= u[1];
                    t[2] ^= u[2];
                    t[3] ^= u[3];
                    t[4] ^= u[4];
                }
                intsToBytes(t, out, at, Math.min(DIGEST_BYTES, length - at));
            }
            return out;
        } finally {
            Arrays.fill(w, 0);
            Arrays.fill(inner, 0);
            Arrays.fill(outer, 0);
            Arrays.fill(digest, 0);
            Arrays.fill(u, 0);
            Arrays.fill(t, 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** SHA-1 from {@code state} (after one key block) over a 20-byte message given as five words. */
    private static void hmacOuter(int[] state, int[] message, int[] w, int[] out) {
        w[0] = message[0];
        w[1] = message[1];
        w[2] = message[2];
        w[3] = message[3];
        w[4] = message[4];
        w[5] = 0x80000000;
        for (int i = 6; i < 15; i++) {
            w[i] = 0;
        }
        w[15] = ROUND_BITS;
        compress(state, w, out);
    }

    /** SHA-1 from {@code state}, which has taken {@code prefixBytes} already (whole blocks), over the message. */
    private static void hash(int[] state, int prefixBytes, byte[] message, int[] w, int[] out) {
        int paddedLength = (message.length + 8) / BLOCK_BYTES * BLOCK_BYTES + BLOCK_BYTES;
        byte[] padded = Arrays.copyOf(message, paddedLength);
        padded[message.length] = (byte) 0x80;
        long bits = 8L * (prefixBytes + (long) message.length);
        for (int i = 0; i < 8; i++) {
            padded[paddedLength - 1 - i] = (byte) (bits >>> (8 * i));
        }
        System.arraycopy(state, 0, out, 0, 5);
        for (int at = 0; at < paddedLength; at += BLOCK_BYTES) {
            loadBlock(padded, at, w);
            compress(out, w, out);
        }
        Arrays.fill(padded, (byte) 0);
    }

    private static void loadBlock(byte[] bytes, int at, int[] w) {
        for (int i = 0; i < 16; i++, at += 4) {
            w[i] = (bytes[at] << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                    | (bytes[at + 3] & 0xff);
        }
    }

    private static void intsToBytes(int[] words, byte[] out, int at, int length) {
        for (int i = 0; i < length; i++) {
            out[at + i] = (byte) (words[i >>> 2] >>> (24 - 8 * (i & 3)));
        }
    }

    /** One SHA-1 compression (FIPS 180-4, 6.1.2) of the block in w[0..15] from {@code in}; {@code out} may be {@code in}. */
    private static void compress(int[] in, int[] w, int[] out) {
        for (int i = 16; i < 80; i++) {
            int x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
            w[i] = (x << 1) | (x >>> 31);
        }
        int a = in[0];
        int b = in[1];
        int c = in[2];
        int d = in[3];
        int e = in[4];
        int i = 0;
        for (; i < 20; i++) {
            int tmp = ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w[i] + 0x5A827999;
            e = d;
            d = c;
            c = (b << 30) | (b >>> 2);
            b = a;
            a = tmp;
        }
        for (; i < 40; i++) {
            int tmp = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[i] + 0x6ED9EBA1;
            e = d;
            d = c;
            c = (b << 30) | (b >>> 2);
            b = a;
            a = tmp;
        }
        for (; i < 60; i++) {
            int tmp = ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w[i] + 0x8F1BBCDC;
            e = d;
            d = c;
            c = (b << 30) | (b >>> 2);
            b = a;
            a = tmp;
        }
        for (; i < 80; i++) {
            int tmp = ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[i] + 0xCA62C1D6;
            e = d;
            d = c;
            c = (b << 30) | (b >>> 2);
            b = a;
            a = tmp;
        }
        out[0] = in[0] + a;
        out[1] = in[1] + b;
        out[2] = in[2] + c;
        out[3] = in[3] + d;
        out[4] = in[4] + e;
    }
}
