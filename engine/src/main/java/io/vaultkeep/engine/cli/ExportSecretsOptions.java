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

    @Option(names = "--email", paramLabel = "EMAIL", description = "The account's email (account-restricted encrypted_json).")
    String email;

    @Option(names = "--master-password-env", paramLabel = "NAME",
            description = "The account's master password, from environment variable NAME (account-restricted encrypted_json).")
    String masterPasswordEnv;

    @Option(names = "--protected-key", paramLabel = "ENCSTRING",
            description = {"The account's user key as the server keeps it, wrapped by the master key (an EncString: profile.key",
                    "of /api/sync). An account-restricted export is encrypted with the user key, not the master password."})
    String protectedKey;

    @ArgGroup(exclusive = false, heading = "Account KDF (account-restricted encrypted_json):%n")
    KdfOptions kdf = new KdfOptions();

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Override
    public char[] exportPassword() {
        if (exportPasswordEnv != null) {
            return VaultKeepCli.of(mixee).secretFromEnvironment("--export-password-env", exportPasswordEnv);
        }
        return VaultKeepCli.prompt("export password", "this file is password-protected: pass --export-password-env NAME");
    }

    @Override
    public UserKeyChain accountKeys() {
        if (email == null || protectedKey == null) {
            throw new IllegalArgumentException("this file is an account-restricted encrypted export: it opens with the account's "
                    + "keys, so give --email, --master-password-env NAME, the account's KDF (--kdf …) and --protected-key");
        }
        char[] password = masterPasswordEnv != null
                ? VaultKeepCli.of(mixee).secretFromEnvironment("--master-password-env", masterPasswordEnv)
                : VaultKeepCli.prompt("master password", "pass --master-password-env NAME");
        MasterKey masterKey = MasterKey.forAccount(password, email, kdf.parameters());
        Arrays.fill(password, '\0');
        try {
            return UserKeyChain.unlock(masterKey, protectedKey, null, Map.of());
        } finally {
            masterKey.destroy();
        }
    }
}
