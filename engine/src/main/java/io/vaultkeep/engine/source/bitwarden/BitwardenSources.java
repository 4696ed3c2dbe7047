package io.vaultkeep.engine.source.bitwarden;

import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SourceConfig;
import io.vaultkeep.engine.source.VaultSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/** Builds a {@link BitwardenSource} (and its client) from an account's {@code source { bitwarden {…} }}. */
public final class BitwardenSources {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private BitwardenSources() {}

    /** A new source, with a new client, for each incarnation of the account. */
    public static VaultSource.Factory factory(String accountId, SourceConfig.Bitwarden config, boolean includeAttachments) {
        return () -> create(accountId, config, includeAttachments);
    }

    public static BitwardenSource create(String accountId, SourceConfig.Bitwarden config, boolean includeAttachments)
            throws IOException {
        char[] clientId = config.clientId().copy();
        char[] secret = config.clientSecret().copy();
        try {
            BitwardenClient client = new BitwardenClient(config.server(), config.caFile().orElse(null),
                    deviceId(accountId, config.email()), new String(clientId).trim(), secret, REQUEST_TIMEOUT, Clock.systemUTC());
            return new BitwardenSource(accountId, client, config.email(), config.mode(),
                    config.masterPassword().<java.util.function.Supplier<char[]>>map(p -> p::copy).orElse(null),
                    includeAttachments, PollSchedule.every(config.pollInterval()));
        } finally {
            Arrays.fill(clientId, '\0');
            Arrays.fill(secret, '\0');
        }
    }

    /** Stable per account and email, so the server lists the engine as one device. */
    static String deviceId(String accountId, String email) {
        return UUID.nameUUIDFromBytes(("vaultkeep:" + accountId + ":" + email.toLowerCase(java.util.Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

}
