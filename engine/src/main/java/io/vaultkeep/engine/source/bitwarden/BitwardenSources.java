package io.vaultkeep.engine.source.bitwarden;

import io.vaultkeep.engine.source.SourceCheckListener;
import io.vaultkeep.engine.source.SourceScheduling;
import io.vaultkeep.engine.source.VaultSource;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** Builds a {@link BitwardenSource} (and its client) for a {@link BitwardenAccount}. */
public final class BitwardenSources {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private BitwardenSources() {}

    /** A new source, with a new client, for each incarnation of the account. */
    public static VaultSource.Factory factory(String accountId, BitwardenAccount config, boolean includeAttachments) {
        return factory(accountId, config, includeAttachments, SourceCheckListener.NONE);
    }

    /** As above; {@code checks} is told every poll's outcome. */
    public static VaultSource.Factory factory(String accountId, BitwardenAccount config, boolean includeAttachments,
                                              SourceCheckListener checks) {
        return scheduling -> create(accountId, config, includeAttachments, scheduling, checks);
    }

    public static BitwardenSource create(String accountId, BitwardenAccount config, boolean includeAttachments,
                                         SourceScheduling scheduling) throws IOException {
        return create(accountId, config, includeAttachments, scheduling, SourceCheckListener.NONE);
    }

    private static BitwardenSource create(String accountId, BitwardenAccount config, boolean includeAttachments,
                                          SourceScheduling scheduling, SourceCheckListener checks) throws IOException {
        java.util.function.Supplier<char[]> masterPassword = config.masterPassword().orElse(null);
        BitwardenClient.Credentials credentials;
        if (config.clientId().isPresent() && config.clientSecret().isPresent()) {
            char[] clientId = config.clientId().get().get();
            char[] secret = config.clientSecret().get().get();
            try {
                credentials = new BitwardenClient.Credentials.ApiKey(new String(clientId).trim(), secret);
            } finally {
                Arrays.fill(clientId, '\0');
                Arrays.fill(secret, '\0');
            }
        } else if (masterPassword != null) {
            credentials = new BitwardenClient.Credentials.Password(config.email(), masterPassword);
        } else {
            throw new IllegalArgumentException("a bitwarden source needs its API key, or (decrypt mode) its master password");
        }
        BitwardenClient client = new BitwardenClient(config.server(), httpClient(config.caFile(), scheduling),
                deviceId(accountId, config.email()), credentials, REQUEST_TIMEOUT, Clock.systemUTC());
        return new BitwardenSource(accountId, client, config.email(), config.mode(), masterPassword,
                includeAttachments, PollSchedule.every(config.pollInterval()), scheduling, checks);
    }

    /**
     * Under an account entity, the actor system's client for this trust setting, shared by its
     * accounts (a client per account would be a thread and a pool per account); for a one-shot
     * fetch, a client of its own.
     */
    private static HttpClient httpClient(Optional<Path> caFile, SourceScheduling scheduling) throws IOException {
        if (scheduling instanceof SourceScheduling.OnActorSystem on) {
            return BitwardenHttpClients.client(on.system(), caFile);
        }
        return BitwardenClient.httpClient(caFile.orElse(null), REQUEST_TIMEOUT);
    }

    /** Stable per account and email, so the server lists the engine as one device. */
    static String deviceId(String accountId, String email) {
        return UUID.nameUUIDFromBytes(("vaultkeep:" + accountId + ":" + email.toLowerCase(java.util.Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

}
