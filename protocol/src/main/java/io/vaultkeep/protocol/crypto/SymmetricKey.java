package io.vaultkeep.protocol.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A Bitwarden symmetric key: a 32-byte AES-256 key and, normally, a 32-byte HMAC-SHA256 key
 * (the 64-byte form is encKey ‖ macKey). A key without a MAC half exists only for legacy type-0
 * data (very old accounts); it can decrypt type 0 and nothing else, and a key with a MAC half never
 * decrypts type 0 (downgrade protection).
 *
 * <p>{@link #destroy()} zeroes the arrays held here. The JCE copies key bytes into its own objects
 * while a key is in use, so destroying is best effort, as it is everywhere on the JVM. Equality is
 * identity: compare {@link #toBytes()} in tests.
 */
public final class SymmetricKey implements Destroyable {

    static final int KEY_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] encKey;
    private final byte[] macKey; // null for a legacy AES-only key
    private volatile boolean destroyed;

    private SymmetricKey(byte[] encKey, byte[] macKey) {
        this.encKey = encKey;
        this.macKey = macKey;
    }

    /** From 64 bytes (encKey ‖ macKey) or 32 bytes (legacy AES-only key). The input is copied. */
    public static SymmetricKey fromBytes(byte[] key) {
        return switch (key.length) {
            case 2 * KEY_LENGTH -> new SymmetricKey(Arrays.copyOfRange(key, 0, KEY_LENGTH),
                    Arrays.copyOfRange(key, KEY_LENGTH, 2 * KEY_LENGTH));
            case KEY_LENGTH -> new SymmetricKey(key.clone(), null);
            default -> throw new IllegalArgumentException("a symmetric key has 64 bytes (or 32 for a legacy key), got " + key.length);
        };
    }

    /** From separate 32-byte AES and HMAC keys. The inputs are copied. */
    public static SymmetricKey of(byte[] encKey, byte[] macKey) {
        requireLength("encKey", encKey);
        requireLength("macKey", macKey);
        return new SymmetricKey(encKey.clone(), macKey.clone());
    }

    /** A raw 32-byte AES key without a MAC half, for legacy type-0 data only. The input is copied. */
    public static SymmetricKey legacyAesOnly(byte[] encKey) {
        requireLength("encKey", encKey);
        return new SymmetricKey(encKey.clone(), null);
    }

    /** A fresh random 64-byte key. */
    public static SymmetricKey generate() {
        byte[] enc = new byte[KEY_LENGTH];
        byte[] mac = new byte[KEY_LENGTH];
        RANDOM.nextBytes(enc);
        RANDOM.nextBytes(mac);
        return new SymmetricKey(enc, mac);
    }

    /** Adopts the arrays without copying; for keys this package has just derived. */
    static SymmetricKey adopt(byte[] encKey, byte[] macKey) {
        requireLength("encKey", encKey);
        requireLength("macKey", macKey);
        return new SymmetricKey(encKey, macKey);
    }

    public boolean hasMac() {
        return macKey != null;
    }

    /** 64 (encKey ‖ macKey) or 32 (legacy). */
    public int length() {
        return hasMac() ? 2 * KEY_LENGTH : KEY_LENGTH;
    }

    /** A copy of the key: encKey ‖ macKey, or the 32-byte encKey of a legacy key. The caller should zero it. */
    public byte[] toBytes() {
        checkNotDestroyed();
        byte[] out = Arrays.copyOf(encKey, length());
        if (hasMac()) {
            System.arraycopy(macKey, 0, out, KEY_LENGTH, KEY_LENGTH);
        }
        return out;
    }

    byte[] encKey() {
        checkNotDestroyed();
        return encKey;
    }

    byte[] macKey() {
        checkNotDestroyed();
        return macKey;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(encKey, (byte) 0);
        if (macKey != null) {
            Arrays.fill(macKey, (byte) 0);
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SymmetricKey[" + (hasMac() ? "AES-256-CBC + HMAC-SHA256" : "AES-256-CBC, legacy, no MAC")
                + (destroyed ? ", destroyed" : "") + "]";
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("the key has been destroyed");
        }
    }

    private static void requireLength(String name, byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(name + " must be 32 bytes, got " + key.length);
        }
    }
}
