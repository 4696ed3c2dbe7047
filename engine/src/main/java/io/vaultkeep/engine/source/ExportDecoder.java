package io.vaultkeep.engine.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.protocol.bitwarden.encrypted.AccountRestrictedExport;
import io.vaultkeep.protocol.bitwarden.encrypted.ExportDecryptionException;
import io.vaultkeep.protocol.bitwarden.encrypted.PasswordProtectedExport;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an export file as {@code bw export} writes it into the unencrypted json export a snapshot
 * stores: plain json as is, password-protected encrypted_json with its password, account-restricted
 * encrypted_json with the account's keys. Secrets are asked for only when the file needs them.
 */
public final class ExportDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the secrets an encrypted export needs come from; each is asked for only if needed. */
    public interface Secrets {
        /** The export password of a password-protected file. */
        char[] exportPassword() throws IOException;

        /** The account's keys, for an account-restricted file (the KDF runs only when this is called). */
        UserKeyChain accountKeys() throws IOException;
    }

    /** What kind of export a file is. */
    public enum Kind { PLAIN_JSON, PASSWORD_PROTECTED, ACCOUNT_RESTRICTED }

    private ExportDecoder() {}

    public static Kind kindOf(byte[] bytes, Path file) throws VaultSourceException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            return Kind.PLAIN_JSON; // not JSON at all: the plain reader gives the precise error
        }
        if (root == null || !root.path("encrypted").asBoolean(false)) {
            return Kind.PLAIN_JSON;
        }
        return root.path("passwordProtected").asBoolean(false) ? Kind.PASSWORD_PROTECTED : Kind.ACCOUNT_RESTRICTED;
    }

    /** The unencrypted json export inside {@code bytes}; errors name the file and never a secret. */
    public static byte[] toPlainJson(byte[] bytes, Path file, Secrets secrets) throws IOException {
        try {
            return switch (kindOf(bytes, file)) {
                case PLAIN_JSON -> bytes;
                case PASSWORD_PROTECTED -> {
                    PasswordProtectedExport.kdfOf(bytes); // refuse abusive parameters before asking for anything
                    char[] password = secrets.exportPassword();
                    try {
                        yield PasswordProtectedExport.decrypt(bytes, password);
                    } finally {
                        java.util.Arrays.fill(password, '\0');
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
            };
        } catch (ExportDecryptionException e) {
            throw new VaultSourceException(file + ": " + e.getMessage());
        }
    }
}
