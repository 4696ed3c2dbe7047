package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfig.StatusAccess;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.StatusClient;
import io.vaultkeep.engine.host.StatusToken;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} or {@code --status-url URL}: where the running host answers; and its status
 * token, from the config's data-dir or {@code --token-file}.
 */
public final class HostAddressOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The host's config file; its vaultkeep.status block gives the address and its data-dir the token (nothing else is read).")
    Path config;

    @Option(names = "--status-url", paramLabel = "URL",
            description = "The host's status address (default: http://127.0.0.1:8420).")
    URI statusUrl;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The host's status token (default with --config: status.token in its data-dir).")
    Path tokenFile;

    StatusClient client() throws ConfigException, IOException {
        if (config != null && statusUrl != null) {
            throw new UsageError("--config and --status-url exclude each other: give one");
        }
        if (config == null) {
            URI base = statusUrl != null ? statusUrl : URI.create(StatusEndpoint.DEFAULT.url());
            return new StatusClient(base, tokenFile == null ? null : StatusToken.read(tokenFile));
        }
        StatusAccess access = HostConfigLoader.loadStatusAccess(config);
        Path token = tokenFile != null ? tokenFile : access.dataDir().resolve(StatusToken.FILE_NAME);
        return new StatusClient(URI.create(access.endpoint().url()), StatusToken.read(token));
    }
}
