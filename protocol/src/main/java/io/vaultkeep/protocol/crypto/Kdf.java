package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Bitwarden's key derivation: PBKDF2-HMAC-SHA256, Argon2id, the HKDF-Expand stretch and the
 * shareable (Send) key. All outputs are fresh arrays the caller owns.
 */
public final class Kdf {

    /** Length of a derived key (master key, password-protected export key) before stretching. */
    public static final int KEY_LENGTH = 32;
    private static final int SHA256_LENGTH = 32;

    private Kdf() {
    }

    /**
     * KDF(password, salt) → 32 bytes. PBKDF2 uses the salt as is; Argon2id gets SHA-256(salt) (Bitwarden
     * hashes it so that any salt satisfies Argon2's length rules) and memory MiB × 1024 KiB.
     */
    public static byte[] derive(byte[] password, byte[] salt, KdfParameters parameters) {
        return switch (parameters.type()) {
            case PBKDF2_SHA256 -> pbkdf2Sha256(password, salt, parameters.iterations(), KEY_LENGTH);
            case ARGON2ID -> argon2id(password, sha256(salt), parameters.iterations(), parameters.memoryMiB(),
                    parameters.parallelism());
        };
    }

    /**
     * KDF then stretch: the key of a password-protected export, whose salt is the UTF-8 bytes of the
     * export's base64 {@code salt} string (not its decoded bytes).
     */
    public static SymmetricKey deriveStretched(char[] password, byte[] salt, KdfParameters parameters) {
        byte[] passwordBytes = utf8(password);
        byte[] key = null;
        try {
            key = derive(passwordBytes, salt, parameters);
            return stretch(key);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /**
     * PBKDF2-HMAC-SHA256 (RFC 8018) on {@code Mac("HmacSHA256")}: {@code PBEKeySpec} only takes chars, and
     * the master password hash needs a byte password (the master key).
     */
    public static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int iterations, int length) {
        if (iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 iterations must be at least 1, got " + iterations);
        }
        if (length < 1) {
            throw new IllegalArgumentException("PBKDF2 output length must be at least 1, got " + length);
        }
        // HMAC zero-pads its key to the block size, so [0x00] is the same key as the empty one,
        // which SecretKeySpec refuses.
        Mac mac = hmacSha256(password.length == 0 ? new byte[1] : password);
        byte[] out = new byte[length];
        byte[] u = new byte[SHA256_LENGTH];
        byte[] t = new byte[SHA256_LENGTH];
        try {
            for (int block = 1, offset = 0; offset < length; block++, offset += SHA256_LENGTH) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, SHA256_LENGTH);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int k = 0; k < SHA256_LENGTH; k++) {
                        t[k] ^= u[k];
                    }
                }
                System.arraycopy(t, 0, out, offset, Math.min(SHA256_LENGTH, length - offset));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 failed", e);
        } finally {
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
        }
    }

    /** Argon2id v0x13 with the salt used as given (callers from Bitwarden data go through {@link #derive}). */
    static byte[] argon2id(byte[] password, byte[] salt, int iterations, int memoryMiB, int parallelism) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(iterations)
                .withMemoryAsKB(memoryMiB * 1024)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[KEY_LENGTH];
        generator.generateBytes(password, out);
        parameters.clear();
        return out;
    }

    /** HKDF-Expand-SHA256 (RFC 5869, section 2.3) without the Extract step, as Bitwarden uses it. */
    public static byte[] hkdfExpand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > 255 * SHA256_LENGTH) {
            throw new IllegalArgumentException("HKDF-Expand length must be 1.." + 255 * SHA256_LENGTH + ", got " + length);
        }
        Mac mac = hmacSha256(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int i = 1, offset = 0; offset < length; i++, offset += SHA256_LENGTH) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            Arrays.fill(t, (byte) 0);
            t = mac.doFinal();
            System.arraycopy(t, 0, out, offset, Math.min(SHA256_LENGTH, length - offset));
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    /** Stretches a 32-byte derived key: encKey = HKDF-Expand(key, "enc", 32), macKey = HKDF-Expand(key, "mac", 32). */
    public static SymmetricKey stretch(byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("only a 32-byte derived key is stretched, got " + key.length + " bytes");
        }
        return SymmetricKey.adopt(hkdfExpand(key, "enc".getBytes(UTF_8), 32), hkdfExpand(key, "mac".getBytes(UTF_8), 32));
    }

    /**
     * The shareable key Bitwarden derives for Sends: PRK = HMAC-SHA256(key = "bitwarden-" + name, data = secret),
     * key = HKDF-Expand(PRK, info, 64), with an empty info when {@code info} is null.
     */
    public static SymmetricKey shareableKey(byte[] secret, String name, String info) {
        if (secret.length != 16) {
            throw new IllegalArgumentException("a shareable key secret has 16 bytes, got " + secret.length);
        }
        byte[] prk = hmacSha256(("bitwarden-" + name).getBytes(UTF_8)).doFinal(secret);
        byte[] key = hkdfExpand(prk, info == null ? new byte[0] : info.getBytes(UTF_8), 64);
        try {
            return SymmetricKey.fromBytes(key);
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /**
     * UTF-8 of a password without going through an immutable String. Unpaired surrogates become U+FFFD,
     * as the clients' TextEncoder does (String.getBytes would write '?').
     */
    static byte[] utf8(char[] chars) {
        CharsetEncoder encoder = UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD});
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 encoding with replacement cannot fail", e);
        }
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        Arrays.fill(encoded.array(), (byte) 0);
        return out;
    }
}
