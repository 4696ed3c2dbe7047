package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.StatusClient;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE} or {@code --status-url URL}: where the running host answers. */
public final class HostAddressOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The host's config file; its vaultkeep.status block gives the address (nothing else is read).")
    Path config;

    @Option(names = "--status-url", paramLabel = "URL",
            description = "The host's status address (default: http://127.0.0.1:8420).")
    URI statusUrl;

    StatusClient client() throws ConfigException {
        if (config != null && statusUrl != null) {
            throw new UsageError("--config and --status-url exclude each other: give one");
        }
        if (statusUrl != null) {
            return new StatusClient(statusUrl);
        }
        StatusEndpoint endpoint = config != null ? HostConfigLoader.loadStatusEndpoint(config) : StatusEndpoint.DEFAULT;
        return new StatusClient(URI.create(endpoint.url()));
    }
}
