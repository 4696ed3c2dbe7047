package io.vaultkeep.engine.host;

import io.vaultkeep.engine.config.ConfigException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import io.vaultkeep.engine.host.page.PageRoutes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's loopback HTTP endpoint, for {@code vaultkeep status}, {@code vaultkeep backup-now}
 * and monitoring:
 * <pre>
 * GET  /health                      200 {"status":"ok"} | 503 {"status":"unhealthy","reasons":[…],
 *                                   "accounts":[{"id","health","reason"}, …]} (see {@link Health}, {@link HealthRule};
 *                                   without a token: the status only, no reasons, no accounts)
 * GET  /accounts                    200 [AccountStatus, …]
 * GET  /accounts/{id}               200 AccountStatus | 404
 * POST /accounts/{id}/backup-now    202 {"account":id,"status":"requested"} | 404
 * POST /reload                      200 {"added":[ids],"removed":[…],"changed":[…],"unchanged":[…],"needRestart":[keys]}
 *                                   | 422 {"error": the config's problems, each with file and line}
 * GET  /metrics                     200 Prometheus text format (see {@link HostMetrics}); without the
 *                                   token only when vaultkeep.status.metrics-without-token = true
 * POST /page-login[?account=id]     200 {"path":"/login?code=…"}: a one-time login for a browser
 * GET  /, /login, /accounts/{id} as text/html: the status pages (see {@link PageRoutes}), with a session cookie
 * </pre>
 * Everything but {@code /health} (which says only ok or unhealthy) needs the host's
 * {@link StatusToken} ({@code Authorization: Bearer …}, else 401): other local users can reach a
 * loopback port but cannot read the data folder the token is in. It also binds loopback only and
 * turns away what a web page could send it: requests whose Host header is not a loopback name (DNS
 * rebinding) and POSTs that carry an Origin header (cross-site forms). Requests are served by two threads with a short queue; when
 * that is full, the accepting thread serves the next one itself, which slows callers down instead
 * of queueing without bound.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 16;
    private static final int BACKLOG = 32;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final HostStatusProvider provider;
    private final StatusToken token;
    private final boolean metricsWithoutToken;
    private final PageRoutes pages;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    private StatusServer(HttpServer server, ThreadPoolExecutor executor, HostStatusProvider provider, StatusToken token,
                         boolean metricsWithoutToken) {
        this.pages = new PageRoutes(provider, server.getAddress().getPort(), java.time.Clock.systemUTC());
        this.server = server;
        this.executor = executor;
        this.provider = provider;
        this.token = token;
        this.metricsWithoutToken = metricsWithoutToken;
    }

    /**
     * Binds {@code endpoint} (port 0: a free port, see {@link #port()}) and starts serving.
     *
     * @throws IllegalArgumentException when the host is not a loopback address
     * @throws IOException              when the port cannot be bound (e.g. another host runs)
     */
    public static StatusServer start(StatusEndpoint endpoint, StatusToken token, HostStatusProvider provider) throws IOException {
        InetAddress address = endpoint.loopbackAddress();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, endpoint.port()), BACKLOG);
        } catch (java.net.BindException e) {
            throw new IOException("cannot listen on " + endpoint.url() + " for status requests: " + e.getMessage()
                    + " (is another VaultKeep host running? choose another vaultkeep.status.port)", e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "vaultkeep-status-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        StatusServer status = new StatusServer(server, executor, provider, token, endpoint.metricsWithoutToken());
        server.createContext("/", status::handle);
        server.setExecutor(executor);
        server.start();
        return status;
    }

    /** The port bound (the chosen one when the endpoint said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} (or the loopback address bound). */
    public URI uri() {
        InetAddress a = server.getAddress().getAddress();
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("http://" + host + ":" + port());
    }

    /**
     * Lets requests in progress finish (up to a second; new ones get 503), then stops. Waits by
     * itself rather than with {@code HttpServer.stop(1)}, which on Java 17 always takes the full second.
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdown();
        pages.close();
    }

    /** A body sent as it is, in Prometheus' text format, rather than as JSON. */
    private record Exposition(String text) {}

    /** A status page, with its own headers. */
    private record Html(PageRoutes.Page page) {}

    /** {@code POST /page-login}'s body: where the browser logs in (relative to the endpoint's address). */
    record PageLoginBody(String path) {}

    private record Reply(int status, Object body, String allow) {
        static Reply json(int status, Object body) {
            return new Reply(status, body, null);
        }

        static Reply error(int status, String message) {
            return new Reply(status, new StatusJson.ErrorBody(message), null);
        }
    }

    /** Any request body is left unread: closing the exchange discards it. */
    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            Reply reply;
            try {
                reply = closing ? Reply.error(503, "the host is shutting down") : route(exchange);
            } catch (HostStartingException e) {
                reply = Reply.error(503, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("status request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                reply = Reply.error(500, "the host could not answer: " + e.getClass().getSimpleName());
            }
            send(exchange, reply);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Reply route(HttpExchange exchange) {
        if (!loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
            return Reply.error(403, "requests must name a loopback host (127.0.0.1, [::1] or localhost)");
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> path = segments(exchange.getRequestURI().getPath());
        boolean authorized = token.admits(exchange.getRequestHeaders().getFirst("Authorization"));
        if (PageRoutes.isPage(path, exchange.getRequestHeaders().getFirst("Accept"))) {
            PageRoutes.Page page = pages.serve(method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Cookie"), authorized);
            return new Reply(page.status(), new Html(page), null);
        }

        if (path.equals(List.of("health"))) {
            if (!method.equals("GET")) {
                return new Reply(405, new StatusJson.ErrorBody("use GET"), "GET");
            }
            Health health = provider.health();
            // the reasons name accounts and locations: only for the host's user
            Health shown = health.healthy() || authorized ? health : Health.unhealthy("details need the host's status token");
            return Reply.json(health.healthy() ? 200 : 503, StatusJson.HealthBody.of(shown));
        }
        if (path.equals(List.of("metrics")) && (authorized || metricsWithoutToken)) {
            if (!method.equals("GET")) {
                return new Reply(405, new StatusJson.ErrorBody("use GET"), "GET");
            }
            return provider.metrics().map(text -> Reply.json(200, new Exposition(text)))
                    .orElseGet(() -> Reply.error(404, "this host keeps no metrics"));
        }
        if (!authorized) {
            return new Reply(401, new StatusJson.ErrorBody("this needs the host's status token (Authorization: Bearer …, "
                    + "from " + StatusToken.FILE_NAME + " in its data-dir)"), null);
        }
        if (path.equals(List.of("accounts"))) {
            if (!method.equals("GET")) {
                return new Reply(405, new StatusJson.ErrorBody("use GET"), "GET");
            }
            return Reply.json(200, provider.accounts());
        }
        if (path.equals(List.of("members"))) {
            if (!method.equals("GET")) {
                return new Reply(405, new StatusJson.ErrorBody("use GET"), "GET");
            }
            return Reply.json(200, provider.members());
        }
        if (path.size() == 2 && path.get(0).equals("accounts")) {
            if (!method.equals("GET")) {
                return new Reply(405, new StatusJson.ErrorBody("use GET"), "GET");
            }
            String id = path.get(1);
            Optional<AccountStatus> account = provider.account(id);
            return account.map(a -> Reply.json(200, a)).orElseGet(() -> Reply.error(404, noSuchAccount(id)));
        }
        if (path.size() == 3 && path.get(0).equals("accounts") && path.get(2).equals("backup-now")) {
            if (!method.equals("POST")) {
                return new Reply(405, new StatusJson.ErrorBody("use POST"), "POST");
            }
            if (exchange.getRequestHeaders().containsKey("Origin")) {
                return Reply.error(403, "cross-origin requests are refused");
            }
            String id = path.get(1);
            return provider.requestBackupNow(id)
                    ? Reply.json(202, new StatusJson.AcceptedBody(id, "requested"))
                    : Reply.error(404, noSuchAccount(id));
        }
        if (path.equals(List.of("page-login"))) {
            if (!method.equals("POST")) {
                return new Reply(405, new StatusJson.ErrorBody("use POST"), "POST");
            }
            if (exchange.getRequestHeaders().containsKey("Origin")) {
                return Reply.error(403, "cross-origin requests are refused");
            }
            String account = PageRoutes.parameter(exchange.getRequestURI().getQuery(), "account");
            if (account != null && provider.account(account).isEmpty()) {
                return Reply.error(404, noSuchAccount(account));
            }
            return Reply.json(200, new PageLoginBody(pages.newLoginPath(account)));
        }
        if (path.equals(List.of("reload"))) {
            if (!method.equals("POST")) {
                return new Reply(405, new StatusJson.ErrorBody("use POST"), "POST");
            }
            if (exchange.getRequestHeaders().containsKey("Origin")) {
                return Reply.error(403, "cross-origin requests are refused");
            }
            try {
                return Reply.json(200, provider.reload());
            } catch (ConfigException e) {
                return Reply.error(422, "the config was not reloaded; the running accounts are kept: " + e.getMessage());
            }
        }
        return Reply.error(404, "no such resource: " + exchange.getRequestURI().getPath()
                + " (try /health, /accounts, /accounts/{id}, POST /accounts/{id}/backup-now, POST /reload, /metrics, /members)");
    }

    private static String noSuchAccount(String id) {
        return "no account '" + id + "' on this host";
    }

    private static List<String> segments(String path) {
        if (path == null || !path.startsWith("/") || path.length() == 1) {
            return List.of();
        }
        return List.of(path.substring(1).split("/", -1));
    }

    /**
     * Whether a Host header names this machine: {@code localhost} or a loopback IP literal. A
     * missing header (HTTP/1.0) is let through; no browser sends one.
     */
    static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        String host = hostHeader.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return false;
            }
            host = host.substring(1, end);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.contains(":") && !host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false; // a name: only localhost is known to stay on this machine
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.body() instanceof Html html) {
            sendPage(exchange, html.page());
            return;
        }
        try (exchange) {
            boolean exposition = reply.body() instanceof Exposition;
            byte[] bytes = exposition ? ((Exposition) reply.body()).text().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : StatusJson.MAPPER.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", exposition ? HostMetrics.CONTENT_TYPE : "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (reply.allow() != null) {
                exchange.getResponseHeaders().set("Allow", reply.allow());
            }
            if (reply.status() == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sendPage(HttpExchange exchange, PageRoutes.Page page) throws IOException {
        try (exchange) {
            byte[] bytes = page.html().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            PageRoutes.HEADERS.forEach(exchange.getResponseHeaders()::set);
            page.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(page.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
