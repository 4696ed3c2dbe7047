package io.vaultkeep.protocol.crypto;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Destroyable;

/**
 * Bitwarden's key chain, one small step per method, and a holder for an unlocked account's keys.
 *
 * <pre>
 * master key ─stretch─▶ user key            (legacy: type 0 under the raw master key)
 * user key ──────────▶ RSA private key       (PKCS#8 DER)
 * private key ─RSA───▶ organization keys
 * user or org key ───▶ cipher key            (items that have a "key"; otherwise fields are under the owner key)
 * cipher or owner key ▶ attachment key
 * </pre>
 *
 * Keys returned by the static steps belong to the caller; keys returned by a chain instance belong to
 * the chain: destroy the chain, not them.
 */
public final class UserKeyChain implements Destroyable {

    private static final String USER_KEY = "user key";
    private static final String PRIVATE_KEY = "private key";

    private final SymmetricKey userKey;
    private final RsaPrivateKey privateKey;
    private final Map<String, SymmetricKey> organizationKeys;

    private UserKeyChain(SymmetricKey userKey, RsaPrivateKey privateKey, Map<String, SymmetricKey> organizationKeys) {
        this.userKey = userKey;
        this.privateKey = privateKey;
        this.organizationKeys = organizationKeys;
    }

    /**
     * Unwraps the protected user key (token response {@code Key}, sync {@code profile.key}). Type 2 is opened
     * with the stretched master key, legacy type 0 with the raw one.
     *
     * @throws WrongKeyException the master key does not open it: wrong password, email or KDF settings
     */
    public static SymmetricKey unwrapUserKey(String protectedUserKey, MasterKey masterKey) {
        SymmetricEncString wrapped = SymmetricEncString.parse(protectedUserKey, USER_KEY);
        boolean legacy = wrapped.type() == EncType.AES_CBC_256_B64;
        SymmetricKey unwrapping = legacy ? masterKey.legacyAesOnly() : masterKey.stretch();
        byte[] plaintext;
        try {
            plaintext = wrapped.decrypt(unwrapping, USER_KEY);
        } catch (MacMismatchException | DecryptionFailedException e) {
            throw new WrongKeyException(USER_KEY, "the master key does not open the user key: wrong master password, "
                    + "email or KDF settings");
        } finally {
            unwrapping.destroy();
        }
        try {
            if (plaintext.length != 64 && plaintext.length != 32) {
                // Type 0 has no MAC: a wrong key can yield valid padding over garbage of any length.
                if (legacy) {
                    throw new WrongKeyException(USER_KEY, "the master key does not open the legacy user key: wrong "
                            + "master password, email or KDF settings");
                }
                throw new CorruptDataException(USER_KEY, "the user key has " + plaintext.length
                        + " bytes, expected 64 (or 32 for a legacy key)", null);
            }
            return SymmetricKey.fromBytes(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Unwraps the account's RSA private key (token response {@code PrivateKey}, sync {@code profile.privateKey}). */
    public static RsaPrivateKey unwrapPrivateKey(String protectedPrivateKey, SymmetricKey userKey) {
        byte[] der = SymmetricEncString.parse(protectedPrivateKey, PRIVATE_KEY).decrypt(userKey, PRIVATE_KEY);
        try {
            return RsaPrivateKey.fromPkcs8(der, PRIVATE_KEY);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Unwraps an organization key ({@code profile.organizations[].key}, RSA types 3 to 6). */
    public static SymmetricKey unwrapOrganizationKey(String protectedOrganizationKey, RsaPrivateKey privateKey,
            String field) {
        return key64(RsaEncString.parse(protectedOrganizationKey, field).decrypt(privateKey, field), field);
    }

    /** Unwraps an item's {@code key} with its owner's key (user or organization). */
    public static SymmetricKey unwrapCipherKey(String protectedCipherKey, SymmetricKey ownerKey, String field) {
        return key64(SymmetricEncString.parse(protectedCipherKey, field).decrypt(ownerKey, field), field);
    }

    /** Unwraps an attachment's {@code key} with the cipher key, or the owner key for items without one. */
    public static SymmetricKey unwrapAttachmentKey(String protectedAttachmentKey, SymmetricKey cipherOrOwnerKey,
            String field) {
        return unwrapCipherKey(protectedAttachmentKey, cipherOrOwnerKey, field);
    }

    /**
     * Unlocks an account: user key from the master key, then {@link #fromUserKey}.
     *
     * @param protectedPrivateKey null for an account without one (then no organization keys)
     * @param protectedOrganizationKeys organization id → protected key
     */
    public static UserKeyChain unlock(MasterKey masterKey, String protectedUserKey, String protectedPrivateKey,
            Map<String, String> protectedOrganizationKeys) {
        return fromUserKey(unwrapUserKey(protectedUserKey, masterKey), protectedPrivateKey, protectedOrganizationKeys);
    }

    /** A chain from an already unwrapped user key, which it takes ownership of. */
    public static UserKeyChain fromUserKey(SymmetricKey userKey, String protectedPrivateKey,
            Map<String, String> protectedOrganizationKeys) {
        if (protectedPrivateKey == null && !protectedOrganizationKeys.isEmpty()) {
            throw new IllegalArgumentException("organization keys need the account's private key");
        }
        RsaPrivateKey privateKey = protectedPrivateKey == null ? null : unwrapPrivateKey(protectedPrivateKey, userKey);
        Map<String, SymmetricKey> organizationKeys = new LinkedHashMap<>();
        protectedOrganizationKeys.forEach((id, key) ->
                organizationKeys.put(id, unwrapOrganizationKey(key, privateKey, "organizations[" + id + "].key")));
        return new UserKeyChain(userKey, privateKey, Map.copyOf(organizationKeys));
    }

    public SymmetricKey userKey() {
        return userKey;
    }

    public Optional<RsaPrivateKey> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    public Set<String> organizationIds() {
        return organizationKeys.keySet();
    }

    /**
     * The key that owns an item or collection: the user key for {@code organizationId == null}, else that
     * organization's key.
     *
     * @throws NoSuchElementException for an organization the chain has no key for
     */
    public SymmetricKey ownerKey(String organizationId) {
        if (organizationId == null) {
            return userKey;
        }
        SymmetricKey key = organizationKeys.get(organizationId);
        if (key == null) {
            throw new NoSuchElementException("no key for organization " + organizationId);
        }
        return key;
    }

    @Override
    public void destroy() {
        userKey.destroy();
        if (privateKey != null) {
            privateKey.destroy();
        }
        organizationKeys.values().forEach(SymmetricKey::destroy);
    }

    @Override
    public boolean isDestroyed() {
        return userKey.isDestroyed();
    }

    @Override
    public String toString() {
        return "UserKeyChain[user key" + (privateKey == null ? "" : ", private key") + ", "
                + organizationKeys.size() + " organization key(s)" + (isDestroyed() ? ", destroyed" : "") + "]";
    }

    /** Cipher, attachment and organization keys are always encKey ‖ macKey. */
    private static SymmetricKey key64(byte[] plaintext, String field) {
        try {
            if (plaintext.length != 64) {
                throw new CorruptDataException(field, "the decrypted key has " + plaintext.length + " bytes, expected 64", null);
            }
            return SymmetricKey.fromBytes(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
