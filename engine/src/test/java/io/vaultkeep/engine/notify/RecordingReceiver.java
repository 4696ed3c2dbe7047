package io.vaultkeep.engine.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP receiver for webhooks and pings: records every request (method, path, body) and
 * answers with the status {@code statusOf} gives for the request's number (1 for the first).
 */
public final class RecordingReceiver implements AutoCloseable {

    public record Request(String method, String path, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile IntUnaryOperator statusOf;

    private RecordingReceiver(IntUnaryOperator statusOf) throws IOException {
        this.statusOf = statusOf;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = this.statusOf.applyAsInt(count.incrementAndGet());
            synchronized (requests) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
                requests.notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static RecordingReceiver answering(IntUnaryOperator statusOf) throws IOException {
        return new RecordingReceiver(statusOf);
    }

    public static RecordingReceiver ok() throws IOException {
        return answering(n -> 200);
    }

    /** From now on, answers so. */
    public void answer(IntUnaryOperator statusOf) {
        this.statusOf = statusOf;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests once at least {@code n} came (or all that came within {@code patience}). */
    public List<Request> awaitRequests(int n, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (requests) {
            while (requests.size() < n && System.nanoTime() < deadline) {
                requests.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
