package io.vaultkeep.storage.store.webdav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of a real WebDAV server that injects one planned fault per matching
 * request: an error status, a connection reset halfway through the request body, or a response
 * that never comes. Every request is sent upstream with {@code Connection: close}, so each
 * connection carries exactly one request and faults hit exactly the request they are planned for.
 */
public final class FaultProxy implements AutoCloseable {

    /** What to do to the next request with the given method. */
    public sealed interface Fault permits Status, ResetMidBody, Stall, IgnoreRange {}

    /** Answer with this status (after reading the whole request), without asking the server. */
    public record Status(int code) implements Fault {}

    /** Read half of the request body, then reset the connection. */
    public record ResetMidBody() implements Fault {}

    /** Read the request and never answer. */
    public record Stall() implements Fault {}

    /** Forward the request without its Range header, as a server that ignores ranges answers 200. */
    public record IgnoreRange() implements Fault {}

    private record Plan(String method, Fault fault) {}

    private final int upstreamPort;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Plan> plans = new ConcurrentLinkedQueue<>();
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    public FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Plans {@code fault} for the next request with {@code method} (plans are used in order, once each). */
    public void plan(String method, Fault fault) {
        plans.add(new Plan(method, fault));
    }

    /** Each request seen, as "METHOD /path" plus " <- fault" when one was injected. */
    public List<String> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                threads.submit(() -> handle(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            String method = parts[0];
            long bodyLength = contentLength(head);
            Fault fault = takePlan(method);
            seen.add(method + " " + parts[1] + (fault == null ? "" : " <- " + fault));
            if (fault instanceof Status status) {
                in.skipNBytes(bodyLength);
                client.getOutputStream().write(("HTTP/1.1 " + status.code() + " Injected\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
            } else if (fault instanceof ResetMidBody) {
                in.skipNBytes(bodyLength / 2);
                client.setSoLinger(true, 0); // close with RST, as a dropped network does
            } else if (fault instanceof Stall) {
                in.skipNBytes(bodyLength);
                Thread.sleep(Long.MAX_VALUE); // until the proxy is closed
            } else if (fault instanceof IgnoreRange) {
                forward(withoutHeader(head, "range:"), in, client.getOutputStream(), bodyLength);
            } else {
                forward(head, in, client.getOutputStream(), bodyLength);
            }
        } catch (IOException | InterruptedException ended) {
            // the client gave up, or the proxy is closing
        }
    }

    private void forward(String head, InputStream clientIn, OutputStream clientOut, long bodyLength) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            open.add(upstream);
            OutputStream up = upstream.getOutputStream();
            up.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            byte[] body = clientIn.readNBytes((int) bodyLength);
            up.write(body);
            up.flush();
            upstream.getInputStream().transferTo(clientOut); // the server closes after one response
            clientOut.flush();
        }
    }

    private Fault takePlan(String method) {
        synchronized (plans) {
            for (Plan plan : plans) {
                if (plan.method().equals(method)) {
                    plans.remove(plan);
                    return plan.fault();
                }
            }
            return null;
        }
    }

    private static String withConnectionClose(String head) {
        StringBuilder rewritten = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                rewritten.append(line).append("\r\n");
            }
        }
        return rewritten.append("Connection: close\r\n\r\n").toString();
    }

    private static String withoutHeader(String head, String lowerCaseName) {
        StringBuilder rewritten = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith(lowerCaseName)) {
                rewritten.append(line).append("\r\n");
            }
        }
        return rewritten.append("\r\n").toString();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return 0; // the store never sends chunked bodies
    }

    /** The request line and headers, up to the blank line; null if the client closed first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (open) {
            for (Socket socket : open) {
                socket.close();
            }
        }
        threads.shutdownNow();
    }
}
