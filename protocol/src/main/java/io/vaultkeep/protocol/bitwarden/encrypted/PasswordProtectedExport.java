package io.vaultkeep.protocol.bitwarden.encrypted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.encrypted.ExportDecryptionException.Reason;
import io.vaultkeep.protocol.crypto.CorruptDataException;
import io.vaultkeep.protocol.crypto.DecryptionFailedException;
import io.vaultkeep.protocol.crypto.EncKeyValidation;
import io.vaultkeep.protocol.crypto.InvalidEncStringException;
import io.vaultkeep.protocol.crypto.InvalidKdfParametersException;
import io.vaultkeep.protocol.crypto.Kdf;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.KdfType;
import io.vaultkeep.protocol.crypto.MacMismatchException;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.UnsupportedEncStringException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bitwarden's password-protected encrypted_json: {@code data} is the whole unencrypted json export
 * as one EncString under stretch(KDF(password, salt)), where the KDF salt is the UTF-8 bytes of the
 * Base64 {@code salt} string itself (Bitwarden's rule), and {@code encKeyValidation_DO_NOT_EDIT}
 * tells a wrong password from a damaged file.
 */
public final class PasswordProtectedExport {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordProtectedExport() {}

    /** Encrypts an unencrypted json export into the file {@code bw import bitwardenjson} accepts. */
    public static byte[] encrypt(byte[] plainJsonExport, char[] password, KdfParameters kdf) {
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String salt = Base64.getEncoder().encodeToString(saltBytes);
        SymmetricKey key = Kdf.deriveStretched(password, salt.getBytes(StandardCharsets.UTF_8), kdf);
        try {
            ObjectNode file = EncryptedExportJson.MAPPER.createObjectNode();
            file.put("encrypted", true);
            file.put("passwordProtected", true);
            file.put("salt", salt);
            file.put("kdfType", kdf.type().code());
            file.put("kdfIterations", kdf.iterations());
            if (kdf.type() == KdfType.ARGON2ID) {
                file.put("kdfMemory", kdf.memoryMiB());
                file.put("kdfParallelism", kdf.parallelism());
            }
            file.put(EncKeyValidation.FIELD, EncKeyValidation.create(key));
            file.put("data", SymmetricEncString.encrypt(plainJsonExport, key).format());
            return EncryptedExportJson.write(file);
        } finally {
            key.destroy();
        }
    }

    /** The KDF parameters a file asks for, validated (minima and abuse limits) before any derivation. */
    public static KdfParameters kdfOf(byte[] encryptedExport) throws ExportDecryptionException {
        return kdfOf(header(encryptedExport));
    }

    /** Decrypts to the unencrypted json export, byte for byte as it was encrypted. */
    public static byte[] decrypt(byte[] encryptedExport, char[] password) throws ExportDecryptionException {
        ObjectNode file = header(encryptedExport);
        KdfParameters kdf = kdfOf(file);
        String salt = EncryptedExportJson.requireText(file, "salt", "the export");
        String validation = EncryptedExportJson.requireText(file, EncKeyValidation.FIELD, "the export");
        String data = EncryptedExportJson.requireText(file, "data", "the export");
        SymmetricKey key = Kdf.deriveStretched(password, salt.getBytes(StandardCharsets.UTF_8), kdf);
        try {
            try {
                if (!EncKeyValidation.opens(validation, key)) {
                    throw new ExportDecryptionException(Reason.WRONG_PASSWORD, "wrong export password");
                }
            } catch (InvalidEncStringException | UnsupportedEncStringException e) {
                throw new ExportDecryptionException(Reason.MALFORMED, "the export's " + EncKeyValidation.FIELD + " is malformed: " + e.getMessage());
            }
            byte[] plain;
            try {
                plain = SymmetricEncString.parse(data, "data").decrypt(key, "data");
            } catch (MacMismatchException | DecryptionFailedException | CorruptDataException e) {
                throw new ExportDecryptionException(Reason.DAMAGED,
                        "the export password is right, but the export's data is damaged or was edited (" + e.getMessage() + ")");
            } catch (InvalidEncStringException | UnsupportedEncStringException e) {
                throw new ExportDecryptionException(Reason.MALFORMED, "the export's data is malformed: " + e.getMessage());
            }
            EncryptedExportJson.parseObject(plain, "the decrypted export");
            return plain;
        } finally {
            key.destroy();
        }
    }

    private static ObjectNode header(byte[] encryptedExport) throws ExportDecryptionException {
        ObjectNode file = EncryptedExportJson.parseObject(encryptedExport, "the export");
        if (!file.path("encrypted").asBoolean(false) || !file.path("passwordProtected").asBoolean(false)) {
            throw new ExportDecryptionException(Reason.MALFORMED, "not a password-protected encrypted export "
                    + "(expected \"encrypted\": true and \"passwordProtected\": true)");
        }
        return file;
    }

    private static KdfParameters kdfOf(ObjectNode file) throws ExportDecryptionException {
        JsonNode type = file.get("kdfType");
        if (type == null || !type.canConvertToInt()) {
            throw new ExportDecryptionException(Reason.MALFORMED, "the export has no numeric \"kdfType\"");
        }
        try {
            return KdfParameters.of(type.asInt(), intOrNull(file, "kdfIterations"), intOrNull(file, "kdfMemory"),
                    intOrNull(file, "kdfParallelism"));
        } catch (InvalidKdfParametersException | IllegalArgumentException e) {
            throw new ExportDecryptionException(Reason.REFUSED_PARAMETERS, "the export's KDF parameters are refused: " + e.getMessage());
        }
    }

    private static Integer intOrNull(ObjectNode file, String field) throws ExportDecryptionException {
        JsonNode value = file.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt()) {
            throw new ExportDecryptionException(Reason.REFUSED_PARAMETERS, "the export's \"" + field + "\" is not a whole number in range");
        }
        return value.asInt();
    }
}
