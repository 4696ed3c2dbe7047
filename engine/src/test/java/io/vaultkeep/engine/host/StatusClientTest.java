package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusClientTest {

    private final FakeHostStatus host = new FakeHostStatus(FakeHostStatus.ALICE, FakeHostStatus.BOB);
    @TempDir
    Path dataDir;
    private StatusServer server;
    private StatusClient client;

    @BeforeEach
    void start() throws IOException {
        server = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), StatusToken.create(dataDir), host);
        client = new StatusClient(server.uri(), StatusToken.read(dataDir.resolve(StatusToken.FILE_NAME)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A port nothing listens on (free a moment ago). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void statusesSurviveTheRoundTripExactly() throws Exception {
        assertEquals(List.of(FakeHostStatus.ALICE, FakeHostStatus.BOB), client.accounts());
        assertEquals(Optional.of(FakeHostStatus.BOB), client.account("bob"));
        assertEquals(Optional.empty(), client.account("nobody"));
    }

    @Test
    void healthIsReadFromOkAnd503() throws Exception {
        assertTrue(client.health().healthy());
        host.health = Health.unhealthy("journal unreachable");
        assertEquals(List.of("journal unreachable"), client.health().reasons());
    }

    @Test
    void backupNowSaysWhetherTheAccountExists() throws Exception {
        assertTrue(client.backupNow("alice"));
        assertFalse(client.backupNow("nobody"));
        assertFalse(client.backupNow("not/an id")); // encoded, so it cannot reach another route
        assertEquals(List.of("alice"), List.copyOf(host.backupNowRequests));
    }

    @Test
    void noHostGivesOneClearSentence() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:" + freePort());
        HostNotRunningException e = assertThrows(HostNotRunningException.class, () -> new StatusClient(nowhere).accounts());
        assertEquals("no VaultKeep host answering at " + nowhere + " — start one with `vaultkeep run --config FILE`", e.getMessage());
        assertEquals(nowhere, e.statusUri());
        assertThrows(HostNotRunningException.class, () -> new StatusClient(nowhere).backupNow("alice"));
    }

    @Test
    void anotherProgramOnThePortIsNamedAsSuch() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<html>hello</html>".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + other.getAddress().getPort());
            IOException e = assertThrows(IOException.class, () -> new StatusClient(uri).accounts());
            assertFalse(e instanceof HostNotRunningException);
            assertTrue(e.getMessage().contains("is not a VaultKeep status (HTTP 200): is another program listening at " + uri), e.getMessage());
        } finally {
            other.stop(0);
        }
    }

    @Test
    void serverErrorsCarryTheHostsMessage() {
        host.failure = new IllegalStateException("boom");
        IOException e = assertThrows(IOException.class, () -> client.accounts());
        assertEquals("the host at " + server.uri() + " answered HTTP 500: the host could not answer: IllegalStateException", e.getMessage());
    }

    @Test
    void onlyHttpAddressesAreTaken() {
        assertThrows(IllegalArgumentException.class, () -> new StatusClient(URI.create("https://127.0.0.1:8420")));
        assertThrows(IllegalArgumentException.class, () -> new StatusClient(URI.create("127.0.0.1:8420")));
        assertEquals(URI.create("http://127.0.0.1:8420"), new StatusClient(URI.create("http://127.0.0.1:8420/")).base());
    }
}
