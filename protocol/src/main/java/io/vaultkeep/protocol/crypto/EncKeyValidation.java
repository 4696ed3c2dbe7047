package io.vaultkeep.protocol.crypto;

import java.util.UUID;

/**
 * The {@code encKeyValidation_DO_NOT_EDIT} check of encrypted exports: an EncString of a random UUID
 * under the export's key.
 *
 * <p>This is how a wrong key is told apart from damaged data. For type 2 both show up as a
 * {@link MacMismatchException}; so check the validation value first. If the key does not open it, the
 * password (or account, or key generation) is wrong: report {@link WrongKeyException}. If it does, the key
 * is right and any later MAC mismatch means that field was damaged or tampered with. (A damaged validation
 * value itself looks like a wrong key; nothing can tell those two apart.)
 */
public final class EncKeyValidation {

    /** The field label errors carry. */
    public static final String FIELD = "encKeyValidation_DO_NOT_EDIT";

    private EncKeyValidation() {
    }

    /**
     * Whether {@code key} opens the validation value. Malformed or unsupported values are not a "no": they
     * throw {@link InvalidEncStringException} or {@link UnsupportedEncStringException}.
     */
    public static boolean opens(String encKeyValidation, SymmetricKey key) {
        SymmetricEncString value = SymmetricEncString.parse(encKeyValidation, FIELD);
        try {
            value.decrypt(key, FIELD);
            return true;
        } catch (MacMismatchException | DecryptionFailedException e) {
            return false;
        }
    }

    /** @throws WrongKeyException when {@code key} does not open the validation value */
    public static void requireOpens(String encKeyValidation, SymmetricKey key) {
        if (!opens(encKeyValidation, key)) {
            throw new WrongKeyException(FIELD, "the key does not open the export: wrong password, or an export of another "
                    + "account or from before a key rotation");
        }
    }

    /** A new validation value for {@code key}: a random UUID, encrypted to type 2. */
    public static String create(SymmetricKey key) {
        return SymmetricEncString.encrypt(UUID.randomUUID().toString(), key).format();
    }
}
