package io.vaultkeep.engine.source.bitwarden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The HTTP clients of an actor system's Bitwarden sources, one per trust setting, shared by every
 * account of that system: a client's connection pool and selector thread serve them all. Their own
 * work (TLS handshakes, completing answers) runs on a cached pool of this extension, never on the
 * blocking dispatcher: the polls and fetches wait in {@code send()} on that dispatcher's threads, and
 * with as many waiting as it has threads no answer could complete (every request then hung until its
 * 60 s timeout, seen in the cluster IT with 6 accounts polling on 4 io-threads). The pool ends with
 * the actor system.
 */
final class BitwardenHttpClients implements Extension {

    private static final Id ID = new Id();

    private final Map<Optional<Path>, HttpClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService work;

    private BitwardenHttpClients(ActorSystem<?> system) {
        AtomicInteger threads = new AtomicInteger();
        work = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "bitwarden-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        system.getWhenTerminated().whenComplete((done, failure) -> work.shutdown());
    }

    static HttpClient client(ActorSystem<?> system, Optional<Path> caFile) throws IOException {
        BitwardenHttpClients extension = ID.apply(system);
        try {
            return extension.clients.computeIfAbsent(caFile, ca -> {
                try {
                    return BitwardenClient.httpClient(ca.orElse(null), BitwardenSources.REQUEST_TIMEOUT, extension.work);
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
            return new BitwardenHttpClients(system);
        }
    }
}
