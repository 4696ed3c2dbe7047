package io.vaultkeep.engine.source.bitwarden;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a Bitwarden source needs to know of its account, however it was configured (the host's
 * config, the command line, an embedding service). Secrets are suppliers of fresh copies, which the
 * source wipes after use; nothing here prints them.
 *
 * @param clientId     the API key's client id (with {@code clientSecret}), or empty: log in with the master password
 * @param masterPassword needed in decrypt mode, and to log in without an API key
 * @param caFile       a private CA the server's certificate chains to, or empty: the JDK's trust store
 */
public record BitwardenAccount(URI server, String email, Optional<Supplier<char[]>> clientId,
                               Optional<Supplier<char[]>> clientSecret, Optional<Supplier<char[]>> masterPassword,
                               BitwardenSource.Mode mode, Duration pollInterval, Optional<Path> caFile) {

    @Override
    public String toString() {
        return "BitwardenAccount(" + email + " on " + server + ", " + mode + ")";
    }
}
