package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.source.ExportDecoder;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The secrets {@code backup --from} needs for encrypted exports: the export password of a
 * password-protected file, or the account's master password, email, KDF and protected user key for
 * an account-restricted one. Each is read only when the file turns out to need it.
 */
public final class ExportSecretsOptions implements ExportDecoder.Secrets {

    @Option(names = "--export-password-env", paramLabel = "NAME",
            description = "The export password of a password-protected encrypted_json file, from environment variable NAME.")
    String exportPasswordEnv;

    @Option(names = "--export-password-file", paramLabel = "FILE", description = "Or: the export password from FILE.")
    java.nio.file.Path exportPasswordFile;

    @Option(names = "--email", paramLabel = "EMAIL", description = "The account's email (account-restricted encrypted_json).")
    String email;

    @Option(names = "--master-password-env", paramLabel = "NAME",
            description = "The account's master password, from environment variable NAME (account-restricted encrypted_json).")
    String masterPasswordEnv;

    @Option(names = "--master-password-file", paramLabel = "FILE", description = "Or: the account's master password from FILE.")
    java.nio.file.Path masterPasswordFile;

    @Option(names = "--protected-key", paramLabel = "ENCSTRING",
            description = {"The account's user key as the server keeps it, wrapped by the master key (an EncString: profile.key",
                    "of /api/sync). An account-restricted export is encrypted with the user key, not the master password."})
    String protectedKey;

    @Option(names = "--user-key-env", paramLabel = "NAME",
            description = "Instead of the master password: the account's unwrapped user key (Base64, 64 bytes) from environment variable NAME.")
    String userKeyEnv;

    @Option(names = "--user-key-file", paramLabel = "FILE", description = "Or: the account's user key from FILE.")
    java.nio.file.Path userKeyFile;

    @ArgGroup(exclusive = false, heading = "Account KDF (account-restricted encrypted_json):%n")
    KdfOptions kdf = new KdfOptions();

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Override
    public char[] exportPassword() {
        SecretOption exportPassword = new SecretOption("--export-password", exportPasswordEnv, exportPasswordFile);
        if (exportPassword.given()) {
            return exportPassword.read(CommandLineRoot.of(mixee));
        }
        return VaultKeepCli.prompt("export password", "this file is password-protected: pass --export-password-env NAME or --export-password-file FILE");
    }

    @Override
    public UserKeyChain accountKeys() {
        SecretOption userKey = new SecretOption("--user-key", userKeyEnv, userKeyFile);
        if (userKey.given()) {
            char[] encoded = userKey.read(CommandLineRoot.of(mixee));
            byte[] key;
            try {
                key = java.util.Base64.getDecoder().decode(new String(encoded).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(userKey.options() + ": the " + userKey.origin() + " does not hold Base64");
            } finally {
                Arrays.fill(encoded, '\0');
            }
            if (key.length != 64) {
                Arrays.fill(key, (byte) 0);
                throw new IllegalArgumentException(userKey.options() + ": a user key is 64 bytes, the " + userKey.origin() + " holds "
                        + key.length);
            }
            try {
                return UserKeyChain.fromUserKey(io.vaultkeep.protocol.crypto.SymmetricKey.fromBytes(key), null, Map.of());
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        if (email == null || protectedKey == null) {
            throw new IllegalArgumentException("this file is an account-restricted encrypted export: it opens with the account's "
                    + "keys, so give --email, --master-password-env NAME (or -file), the account's KDF (--kdf …) and "
                    + "--protected-key, or the user key itself with --user-key-env NAME (or -file)");
        }
        char[] password = masterPassword().given() ? masterPassword().read(CommandLineRoot.of(mixee))
                : VaultKeepCli.prompt("master password", "pass --master-password-env NAME or --master-password-file FILE");
        MasterKey masterKey = MasterKey.forAccount(password, email, kdf.parameters());
        Arrays.fill(password, '\0');
        try {
            return UserKeyChain.unlock(masterKey, protectedKey, null, Map.of());
        } finally {
            masterKey.destroy();
        }
    }

    /** The master password's twins: also the live {@code backup --bitwarden-server}'s. */
    SecretOption masterPassword() {
        return new SecretOption("--master-password", masterPasswordEnv, masterPasswordFile);
    }
}
