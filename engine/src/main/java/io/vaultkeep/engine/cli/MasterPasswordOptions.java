package io.vaultkeep.engine.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --master-password-env/-file}: what opens a sealed snapshot (restore, dump). */
final class MasterPasswordOptions {

    @Option(names = "--master-password-env", paramLabel = "NAME",
            description = "A sealed snapshot (Bitwarden source in sealed mode): the account's master password of the snapshot's time, "
                    + "from environment variable NAME (else asked for).")
    String variable;

    @Option(names = "--master-password-file", paramLabel = "FILE", description = "Or: the master password from FILE.")
    Path file;

    SecretOption option() {
        return new SecretOption("--master-password", variable, file);
    }
}
