package io.vaultkeep.engine.source.bitwarden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The HTTP clients of an actor system's Bitwarden sources, one per trust setting, shared by every
 * account of that system: a client's connection pool and selector thread serve them all, and its
 * own work runs on the system's blocking dispatcher, so no source keeps a thread pool of its own
 * and nothing outlives the actor system.
 */
final class BitwardenHttpClients implements Extension {

    private static final Id ID = new Id();

    private final Map<Optional<Path>, HttpClient> clients = new ConcurrentHashMap<>();

    private BitwardenHttpClients() {}

    static HttpClient client(ActorSystem<?> system, Optional<Path> caFile, Executor blocking) throws IOException {
        try {
            return ID.apply(system).clients.computeIfAbsent(caFile, ca -> {
                try {
                    return BitwardenClient.httpClient(ca.orElse(null), BitwardenSources.REQUEST_TIMEOUT, blocking);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static final class Id extends ExtensionId<BitwardenHttpClients> {
        @Override
        public BitwardenHttpClients createExtension(ActorSystem<?> system) {
            return new BitwardenHttpClients();
        }
    }
}
