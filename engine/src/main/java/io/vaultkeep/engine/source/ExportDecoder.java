package io.vaultkeep.engine.source;

import io.vaultkeep.protocol.bitwarden.BitwardenCsv;
import io.vaultkeep.protocol.bitwarden.BitwardenJson;
import io.vaultkeep.protocol.bitwarden.Detection;
import io.vaultkeep.protocol.bitwarden.ExportFormatException;
import io.vaultkeep.protocol.bitwarden.ExportOutline;
import io.vaultkeep.protocol.bitwarden.encrypted.AccountRestrictedExport;
import io.vaultkeep.protocol.bitwarden.encrypted.ExportDecryptionException;
import io.vaultkeep.protocol.bitwarden.encrypted.PasswordProtectedExport;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns an export file as {@code bw export} writes it into the unencrypted json export a snapshot
 * stores: plain json as is, csv converted, password-protected encrypted_json with its password,
 * account-restricted encrypted_json with the account's keys. Secrets are asked for only when the
 * file turns out to need them.
 */
public final class ExportDecoder {

    /** Where the secrets an encrypted export needs come from; each is asked for only if needed. */
    public interface Secrets {
        /** The export password of a password-protected file. */
        char[] exportPassword() throws IOException;

        /** The account's keys, for an account-restricted file (the KDF runs only when this is called). */
        UserKeyChain accountKeys() throws IOException;
    }

    private ExportDecoder() {}

    /**
     * An unencrypted json export, with its outline when the file was one already and was read as
     * such without its tree (null otherwise: {@link ExportFileVault#fromJson} reads what it needs).
     */
    public record PlainJson(byte[] json, ExportOutline outline) {}

    /**
     * The unencrypted json export inside {@code bytes}, with the outline of a plain export read once
     * (issue 17: not twice); errors name the file and never a secret.
     */
    public static PlainJson decode(byte[] bytes, Path file, Secrets secrets) throws IOException {
        // a plain export in the common shape is what detection would call PLAIN_JSON
        ExportOutline outline = ExportOutline.scan(bytes);
        if (outline != null) {
            return new PlainJson(bytes, outline);
        }
        return new PlainJson(decodeOther(bytes, file, secrets), null);
    }

    private static byte[] decodeOther(byte[] bytes, Path file, Secrets secrets) throws IOException {
        Detection detection = BitwardenJson.detect(bytes);
        try {
            return switch (detection.kind()) {
                case PLAIN_JSON -> bytes;
                case CSV -> BitwardenJson.write(BitwardenCsv.read(bytes));
                case PASSWORD_PROTECTED -> {
                    PasswordProtectedExport.kdfOf(bytes); // refuse abusive parameters before asking for anything
                    char[] password = secrets.exportPassword();
                    try {
                        yield PasswordProtectedExport.decrypt(bytes, password);
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                }
                case ACCOUNT_RESTRICTED -> {
                    UserKeyChain keys = secrets.accountKeys();
                    try {
                        yield AccountRestrictedExport.decrypt(bytes, keys);
                    } finally {
                        keys.destroy();
                    }
                }
                case ACCOUNT_RESTRICTED_V2 -> throw new VaultSourceException(file + " is a V2 account-restricted export (\"7.\" "
                        + "COSE values), which is not supported: export again as json, or encrypted_json with a password");
                case UNKNOWN -> throw new VaultSourceException(file + " is not a Bitwarden export: " + detection.reason());
            };
        } catch (ExportDecryptionException e) {
            throw new VaultSourceException(file + ": " + e.getMessage());
        } catch (ExportFormatException e) {
            throw new VaultSourceException(file + ": " + e.getMessage());
        }
    }
}
