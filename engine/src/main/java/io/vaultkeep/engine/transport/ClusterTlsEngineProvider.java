package io.vaultkeep.engine.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * Artery's TLS engines from {@link ClusterTransport}'s PEM files: TLS 1.3 only, and the accepting
 * side requires the connecting side's certificate (mutual authentication). Peers are identified by
 * their certificates, not their host names, so no host name is checked.
 */
public final class ClusterTlsEngineProvider implements SSLEngineProvider {

    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private final SSLContext context;

    /** Artery's constructor: reads {@code vaultkeep.cluster-tls} from the system's config. */
    public ClusterTlsEngineProvider(ActorSystem system) {
        try {
            this.context = ClusterTransport.sslContext(
                    ClusterTransport.KeyFiles.of(system.settings().config().getConfig(ClusterTransport.SETTINGS)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = context.createSSLEngine(hostname, port);
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        SSLEngine engine = context.createSSLEngine(hostname, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return Option.empty(); // the handshake verified the certificate chain against the trust file
    }

    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return Option.empty();
    }
}
