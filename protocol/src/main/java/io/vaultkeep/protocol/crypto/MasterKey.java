package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import javax.security.auth.Destroyable;

/**
 * The 32-byte key derived from the master password. It never encrypts data itself: its stretched form
 * unwraps the user key (its raw form for legacy type-0 user keys), and it yields the password hash the
 * token request sends.
 */
public final class MasterKey implements Destroyable {

    private final byte[] key;
    private volatile boolean destroyed;

    private MasterKey(byte[] key) {
        this.key = key;
    }

    /** KDF(master password, email trimmed and lower-cased), the salt every Bitwarden account uses. */
    public static MasterKey forAccount(char[] password, String email, KdfParameters parameters) {
        return derive(password, normalizeEmail(email).getBytes(UTF_8), parameters);
    }

    /** KDF(master password, salt) with an explicit salt, used as given. */
    public static MasterKey derive(char[] password, byte[] salt, KdfParameters parameters) {
        byte[] passwordBytes = Kdf.utf8(password);
        try {
            return new MasterKey(Kdf.derive(passwordBytes, salt, parameters));
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /** A master key kept elsewhere (32 bytes, copied). */
    public static MasterKey fromBytes(byte[] key) {
        if (key.length != Kdf.KEY_LENGTH) {
            throw new IllegalArgumentException("a master key has 32 bytes, got " + key.length);
        }
        return new MasterKey(key.clone());
    }

    /**
     * Bitwarden's salt: the email trimmed and lower-cased (locale-independent, as in the clients). Trimming
     * follows {@link String#strip()}.
     */
    public static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** The key that unwraps a type-2 user key: HKDF-Expand stretch to encKey ‖ macKey. */
    public SymmetricKey stretch() {
        return Kdf.stretch(bytes());
    }

    /** The raw master key as an AES-only key: it unwraps legacy type-0 user keys, nothing else. */
    public SymmetricKey legacyAesOnly() {
        return SymmetricKey.legacyAesOnly(bytes());
    }

    /**
     * What the token request sends as the password: base64(PBKDF2-SHA256(password = master key,
     * salt = master password UTF-8, 1 iteration)).
     */
    public String passwordHash(char[] password) {
        byte[] salt = Kdf.utf8(password);
        byte[] hash = Kdf.pbkdf2Sha256(bytes(), salt, 1, Kdf.KEY_LENGTH);
        try {
            return Base64.getEncoder().encodeToString(hash);
        } finally {
            Arrays.fill(salt, (byte) 0);
            Arrays.fill(hash, (byte) 0);
        }
    }

    /** A copy of the 32 key bytes; the caller should zero it. */
    public byte[] toBytes() {
        return bytes().clone();
    }

    private byte[] bytes() {
        if (destroyed) {
            throw new IllegalStateException("the master key has been destroyed");
        }
        return key;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "MasterKey[32 bytes" + (destroyed ? ", destroyed" : "") + "]";
    }
}
