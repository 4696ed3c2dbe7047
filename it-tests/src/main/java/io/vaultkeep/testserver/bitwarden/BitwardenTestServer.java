package io.vaultkeep.testserver.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.KdfType;
import io.vaultkeep.protocol.crypto.RsaEncString;
import io.vaultkeep.protocol.crypto.EncType;
import io.vaultkeep.protocol.crypto.RsaPublicKey;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bitwarden-compatible server on loopback, over https with a certificate of its own, for tests and
 * benchmarks: identity (prelogin, token by password, API key and refresh), sync, revision date,
 * folders, ciphers (create, edit, delete, import), attachments (v2 upload and download) and
 * organizations with collections. The vault is stored as clients send it, encrypted; the server never
 * sees a plaintext. Its faithfulness is checked by the official CLI in {@code BitwardenServerCliIT}.
 *
 * <p>Test hooks: {@link #createAccount}, {@link #createOrganization}, {@link #seed}, {@link #rotateApiKey},
 * {@link #failNext} (429 with Retry-After, 5xx), {@link #requestCount}.
 */
public final class BitwardenTestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long TOKEN_SECONDS = 3600;

    private final HttpsServer http;
    private final ExecutorService threads;
    private final SelfSignedTls tls;
    private final Path folder;
    private final String base;
    private final List<ServerAccount> accounts = new ArrayList<>();
    private final Map<String, Session> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>(); // refresh token → account id
    private final Map<String, Organization> organizations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Fault>> faults = new ConcurrentHashMap<>();
    private final List<String> unknown = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long tokenSeconds = TOKEN_SECONDS;
    private KeyPair sharedKeyPair; // for cheap bench accounts

    private record Session(String accountId, long expiresAtMillis) {}

    /** An error answer for the next request of a route: a status and, for 429/503, a Retry-After. */
    public record Fault(int status, String retryAfter) {}

    record Organization(String id, String name, SymmetricKey key, Map<String, ObjectNode> collections) {}

    private BitwardenTestServer(Path folder, SelfSignedTls tls, HttpsServer http, ExecutorService threads) {
        this.folder = folder;
        this.tls = tls;
        this.http = http;
        this.threads = threads;
        this.base = "https://127.0.0.1:" + http.getAddress().getPort();
    }

    public static BitwardenTestServer start() throws IOException {
        // The JDK server writes headers and body separately: without TCP_NODELAY every small answer
        // waits out the client's delayed ACK (~40 ms). Read once, when the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path folder = Files.createTempDirectory("vaultkeep-bw-server-");
        SelfSignedTls tls = SelfSignedTls.create(folder);
        HttpsServer http = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        http.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
        ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "bw-test-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        BitwardenTestServer server = new BitwardenTestServer(folder, tls, http, threads);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /** {@code https://127.0.0.1:PORT}: what {@code bw config server} and the engine are given. */
    public String url() {
        return base;
    }

    /** The server's certificate (PEM), to trust as a CA. */
    public Path caFile() {
        return tls.caFile();
    }

    // ---- test hooks

    public TestAccount createAccount(String email, char[] masterPassword, KdfParameters kdf) {
        return add(new ServerAccount(email, masterPassword, kdf, ServerAccount.newKeyPair()), masterPassword);
    }

    /** Many accounts for a benchmark: one shared RSA key pair (generating one takes ~100 ms). */
    public synchronized TestAccount createLightAccount(String email, char[] masterPassword, KdfParameters kdf) {
        if (sharedKeyPair == null) {
            sharedKeyPair = ServerAccount.newKeyPair();
        }
        return add(new ServerAccount(email, masterPassword, kdf, sharedKeyPair), masterPassword);
    }

    private synchronized TestAccount add(ServerAccount account, char[] masterPassword) {
        if (find(account.email).isPresent()) {
            throw new IllegalArgumentException("an account " + account.email + " exists");
        }
        accounts.add(account);
        return new TestAccount(account.id, account.email, masterPassword.clone(), account.kdf, account.clientId(), account.apiKeySecret);
    }

    /** A new API key secret: the old one no longer logs in, and its tokens are revoked. */
    public TestAccount rotateApiKey(TestAccount account) {
        ServerAccount a = byId(account.userId());
        a.apiKeySecret = ServerAccount.newSecret();
        revokeTokens(account);
        return new TestAccount(a.id, a.email, account.masterPassword(), a.kdf, a.clientId(), a.apiKeySecret);
    }

    /** Every access and refresh token of the account stops working (401). */
    public void revokeTokens(TestAccount account) {
        tokens.values().removeIf(s -> s.accountId().equals(account.userId()));
        refreshTokens.values().removeIf(id -> id.equals(account.userId()));
    }

    /** How long new access tokens live (default an hour). */
    public void setTokenLifetime(java.time.Duration lifetime) {
        tokenSeconds = Math.max(1, lifetime.toSeconds());
    }

    /** An organization owned by the account, with collections of these names; returns its id. */
    public String createOrganization(TestAccount owner, String name, List<String> collectionNames) {
        ServerAccount account = byId(owner.userId());
        Organization org = new Organization(UUID.randomUUID().toString(), name, SymmetricKey.generate(), new java.util.LinkedHashMap<>());
        for (String collection : collectionNames) {
            ObjectNode c = NODES.objectNode();
            c.put("id", UUID.randomUUID().toString());
            c.put("organizationId", org.id());
            c.put("name", SymmetricEncString.encrypt(collection, org.key()).format());
            c.putNull("externalId");
            org.collections().put(c.get("id").asText(), c);
        }
        organizations.put(org.id(), org);
        RsaPublicKey publicKey = RsaPublicKey.fromSpki(Base64.getDecoder().decode(account.publicKey));
        synchronized (account) {
            account.organizationKeys.put(org.id(), RsaEncString.encrypt(org.key().toBytes(), publicKey, EncType.RSA2048_OAEP_SHA1_B64).format());
            account.changed();
        }
        return org.id();
    }

    /** The collection ids of an organization, by name order of creation. */
    public List<String> collectionIds(String organizationId) {
        return List.copyOf(organizations.get(organizationId).collections().keySet());
    }

    /** Adds ciphers the way a client would (see {@link VaultSeeder}); for benchmarks and large vaults. */
    public VaultSeeder seed(TestAccount account) {
        return new VaultSeeder(this, byId(account.userId()));
    }

    /** The next {@code count} requests of {@code route} (e.g. "GET /api/accounts/revision-date") get {@code fault}. */
    public void failNext(String route, int count, Fault fault) {
        ConcurrentLinkedQueue<Fault> queue = faults.computeIfAbsent(route, k -> new ConcurrentLinkedQueue<>());
        for (int i = 0; i < count; i++) {
            queue.add(fault);
        }
    }

    /** How many requests of {@code route} (method and path pattern, e.g. "GET /api/sync") were answered. */
    public long requestCount(String route) {
        AtomicLong count = counters.get(route);
        return count == null ? 0 : count.get();
    }

    public Map<String, Long> requestCounts() {
        Map<String, Long> all = new java.util.TreeMap<>();
        counters.forEach((k, v) -> all.put(k, v.get()));
        return all;
    }

    /** Requests no route knew (answered 404), for finding what a client needs. */
    public List<String> unknownRequests() {
        return List.copyOf(unknown);
    }

    /** The account's revision date (epoch ms): moves on every change. */
    public long revisionDate(TestAccount account) {
        return byId(account.userId()).revision;
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        threads.shutdownNow();
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- routing

    private interface Handler {
        Response handle(Request request) throws IOException;
    }

    record Request(HttpExchange exchange, Matcher path, byte[] body, ServerAccount account) {
        ObjectNode json() throws IOException {
            return (ObjectNode) JSON.readTree(body);
        }

        Map<String, String> form() {
            Map<String, String> form = new java.util.HashMap<>();
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }

        String group(int i) {
            return path.group(i);
        }
    }

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response json(Object value) {
            try {
                return new Response(200, "application/json; charset=utf-8", JSON.writeValueAsBytes(value), Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Response empty() {
            return new Response(200, null, new byte[0], Map.of());
        }

        static Response error(int status, String message) {
            ObjectNode error = NODES.objectNode();
            error.put("message", message);
            error.put("Message", message);
            error.putNull("validationErrors");
            error.put("object", "error");
            ObjectNode model = error.putObject("ErrorModel");
            model.put("Message", message);
            model.put("Object", "error");
            try {
                return new Response(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(error), Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Route(String method, Pattern path, String name, boolean authenticated, Handler handler) {}

    private final List<Route> routes = List.of(
            open("GET", "/api/config", this::config),
            open("GET", "/api/alive", r -> Response.empty()),
            open("POST", "/identity/accounts/prelogin/password", this::prelogin),
            open("POST", "/identity/accounts/prelogin", this::prelogin),
            open("POST", "/api/accounts/prelogin", this::prelogin),
            open("POST", "/identity/connect/token", this::token),
            open("GET", "/attachments/([^/]+)/([^/]+)", this::attachmentDownload),
            auth("GET", "/api/accounts/revision-date", r -> Response.json(r.account().revision)),
            auth("GET", "/api/sync", this::sync),
            auth("GET", "/api/accounts/profile", r -> Response.json(profile(r.account()))),
            auth("POST", "/api/accounts/key-management/user-key-id", r -> Response.empty()),
            auth("GET", "/api/devices/knowndevice", r -> Response.json(false)),
            auth("GET", "/api/devices/knowndevice/(.*)", r -> Response.json(false)),
            auth("GET", "/api/organizations/([^/]+)/export", this::organizationExport),
            auth("POST", "/api/folders", this::createFolder),
            auth("PUT", "/api/folders/([^/]+)", this::updateFolder),
            auth("DELETE", "/api/folders/([^/]+)", this::deleteFolder),
            auth("POST", "/api/ciphers", r -> createCipher(r, r.json(), List.of())),
            auth("POST", "/api/ciphers/create", r -> {
                ObjectNode body = r.json();
                List<String> collections = new ArrayList<>();
                body.path("collectionIds").forEach(c -> collections.add(c.asText()));
                return createCipher(r, (ObjectNode) body.get("cipher"), collections);
            }),
            auth("POST", "/api/ciphers/import", this::importCiphers),
            auth("POST", "/api/ciphers/([^/]+)/attachment/v2", this::attachmentUploadSlot),
            auth("POST", "/api/ciphers/([^/]+)/attachment/([^/]+)", this::attachmentUpload),
            auth("GET", "/api/ciphers/([^/]+)/attachment/([^/]+)", this::attachmentInfo),
            auth("DELETE", "/api/ciphers/([^/]+)/attachment/([^/]+)", this::attachmentDelete),
            auth("GET", "/api/ciphers/([^/]+)", r -> cipherResponse(r, cipher(r.account(), r.group(1)))),
            auth("PUT", "/api/ciphers/([^/]+)", this::updateCipher),
            auth("POST", "/api/ciphers/([^/]+)", this::updateCipher),
            auth("PUT", "/api/ciphers/([^/]+)/delete", this::softDeleteCipher),
            auth("PUT", "/api/ciphers/([^/]+)/restore", this::restoreCipher),
            auth("DELETE", "/api/ciphers/([^/]+)", this::deleteCipher),
            auth("POST", "/api/ciphers/([^/]+)/delete", this::deleteCipher));

    private static Route open(String method, String path, Handler handler) {
        return new Route(method, Pattern.compile(path), method + " " + path, false, handler);
    }

    private static Route auth(String method, String path, Handler handler) {
        return new Route(method, Pattern.compile(path), method + " " + path, true, handler);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Response response = null;
            for (Route route : routes) {
                Matcher matcher = route.path().matcher(path);
                if (!route.method().equals(method) || !matcher.matches()) {
                    continue;
                }
                counters.computeIfAbsent(route.name(), k -> new AtomicLong()).incrementAndGet();
                Fault fault = Optional.ofNullable(faults.get(route.name())).map(ConcurrentLinkedQueue::poll).orElse(null);
                if (fault != null) {
                    response = new Response(fault.status(), null, new byte[0],
                            fault.retryAfter() == null ? Map.of() : Map.of("Retry-After", fault.retryAfter()));
                    break;
                }
                ServerAccount account = null;
                if (route.authenticated()) {
                    account = authenticate(exchange);
                    if (account == null) {
                        response = Response.error(401, "Unauthorized");
                        break;
                    }
                }
                try {
                    response = route.handler().handle(new Request(exchange, matcher, body, account));
                } catch (NotFound e) {
                    response = Response.error(404, e.getMessage());
                } catch (RuntimeException | IOException e) {
                    response = Response.error(400, e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                break;
            }
            if (response == null) {
                unknown.add(method + " " + exchange.getRequestURI());
                response = Response.error(404, "no such endpoint on the test server: " + method + " " + path);
            }
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    private ServerAccount authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return null;
        }
        Session session = tokens.get(header.substring(7).trim());
        if (session == null || session.expiresAtMillis() < System.currentTimeMillis()) {
            return null;
        }
        return byId(session.accountId());
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    private synchronized ServerAccount byId(String id) {
        return accounts.stream().filter(a -> a.id.equals(id)).findFirst().orElseThrow(() -> new NotFound("no account " + id));
    }

    private synchronized Optional<ServerAccount> find(String email) {
        String normalized = email == null ? "" : email.trim().toLowerCase(java.util.Locale.ROOT);
        return accounts.stream().filter(a -> a.email.equals(normalized)).findFirst();
    }

    // ---- identity

    private Response config(Request r) {
        ObjectNode config = NODES.objectNode();
        config.put("version", "2025.12.0");
        config.put("gitHash", "vaultkeep");
        config.putNull("server");
        ObjectNode environment = config.putObject("environment");
        environment.putNull("cloudRegion");
        environment.put("vault", base);
        environment.put("api", base + "/api");
        environment.put("identity", base + "/identity");
        environment.put("notifications", base + "/notifications");
        environment.put("sso", "");
        config.putObject("featureStates");
        config.put("object", "config");
        return Response.json(config);
    }

    private Response prelogin(Request r) throws IOException {
        String email = r.json().path("email").asText();
        KdfParameters kdf = find(email).map(a -> a.kdf)
                .orElse(new KdfParameters(KdfType.PBKDF2_SHA256, KdfParameters.PBKDF2_DEFAULT_ITERATIONS, 0, 0));
        ObjectNode out = NODES.objectNode();
        putKdf(out, kdf, "kdf", "kdfIterations", "kdfMemory", "kdfParallelism");
        if (r.exchange().getRequestURI().getPath().endsWith("/prelogin/password")) {
            // the newer endpoint's shape: KDF settings and the salt (the normalized email)
            putKdf(out.putObject("kdfSettings"), kdf, "kdfType", "iterations", "memory", "parallelism");
            out.put("salt", email.trim().toLowerCase(java.util.Locale.ROOT));
        }
        return Response.json(out);
    }

    private static void putKdf(ObjectNode out, KdfParameters kdf, String type, String iterations, String memory, String parallelism) {
        out.put(type, kdf.type() == KdfType.ARGON2ID ? 1 : 0);
        out.put(iterations, kdf.iterations());
        if (kdf.type() == KdfType.ARGON2ID) {
            out.put(memory, kdf.memoryMiB());
            out.put(parallelism, kdf.parallelism());
        } else {
            out.putNull(memory);
            out.putNull(parallelism);
        }
    }

    private Response token(Request r) {
        Map<String, String> form = r.form();
        String grant = form.getOrDefault("grant_type", "");
        ServerAccount account;
        boolean refreshable = true;
        switch (grant) {
            case "password" -> {
                account = find(form.get("username")).orElse(null);
                if (account == null || !account.masterPasswordHash.equals(form.get("password"))) {
                    return invalidGrant("Username or password is incorrect. Try again.");
                }
            }
            case "client_credentials" -> {
                String clientId = form.getOrDefault("client_id", "");
                account = clientId.startsWith("user.") ? findById(clientId.substring(5)) : null;
                if (account == null || !account.apiKeySecret.equals(form.get("client_secret"))) {
                    return invalidClient();
                }
                refreshable = false; // as Bitwarden: the CLI logs in again with the key
            }
            case "refresh_token" -> {
                String id = refreshTokens.get(form.getOrDefault("refresh_token", ""));
                account = id == null ? null : findById(id);
                if (account == null) {
                    return invalidGrant("invalid refresh token");
                }
            }
            default -> {
                return new Response(400, "application/json", "{\"error\":\"unsupported_grant_type\"}".getBytes(StandardCharsets.UTF_8), Map.of());
            }
        }
        String accessToken = jwt(account, form.getOrDefault("deviceIdentifier", "unknown"), grant);
        tokens.put(accessToken, new Session(account.id, System.currentTimeMillis() + tokenSeconds * 1000));
        ObjectNode out = NODES.objectNode();
        out.put("access_token", accessToken);
        out.put("expires_in", tokenSeconds);
        out.put("token_type", "Bearer");
        if (refreshable) {
            String refresh = UUID.randomUUID().toString();
            refreshTokens.put(refresh, account.id);
            out.put("refresh_token", refresh);
        }
        out.put("Key", account.protectedUserKey);
        out.put("PrivateKey", account.wrappedPrivateKey);
        putKdf(out, account.kdf, "Kdf", "KdfIterations", "KdfMemory", "KdfParallelism");
        out.put("ResetMasterPassword", false);
        out.put("ForcePasswordReset", false);
        out.put("scope", grant.equals("client_credentials") ? "api" : "api offline_access");
        out.set("AccountKeys", accountKeys(account));
        ObjectNode options = out.putObject("UserDecryptionOptions");
        options.put("HasMasterPassword", true);
        ObjectNode unlock = options.putObject("MasterPasswordUnlock");
        ObjectNode kdf = unlock.putObject("Kdf");
        putKdf(kdf, account.kdf, "KdfType", "Iterations", "Memory", "Parallelism");
        unlock.put("MasterKeyEncryptedUserKey", account.protectedUserKey);
        unlock.put("MasterKeyWrappedUserKey", account.protectedUserKey);
        unlock.put("Salt", account.email);
        options.put("Object", "userDecryptionOptions");
        return Response.json(out);
    }

    /** An access token shaped as Bitwarden's (clients read its claims; the server only looks it up). */
    private String jwt(ServerAccount account, String device, String grant) {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = NODES.objectNode();
        claims.put("nbf", now);
        claims.put("exp", now + tokenSeconds);
        claims.put("iss", base + "|login");
        claims.put("sub", account.id);
        claims.put("premium", true);
        claims.put("name", account.email.substring(0, account.email.indexOf('@')));
        claims.put("email", account.email);
        claims.put("email_verified", true);
        claims.put("sstamp", account.securityStamp);
        claims.put("device", device);
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode scope = claims.putArray("scope");
        scope.add("api");
        if (!grant.equals("client_credentials")) {
            scope.add("offline_access");
        }
        claims.putArray("amr").add("Application");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode accountKeys(ServerAccount account) {
        ObjectNode keys = NODES.objectNode();
        ObjectNode pair = keys.putObject("publicKeyEncryptionKeyPair");
        pair.put("wrappedPrivateKey", account.wrappedPrivateKey);
        pair.put("publicKey", account.publicKey);
        pair.putNull("signedPublicKey");
        pair.put("object", "publicKeyEncryptionKeyPair");
        keys.putNull("signatureKeyPair");
        keys.putNull("securityState");
        keys.put("object", "privateKeys");
        return keys;
    }

    private synchronized ServerAccount findById(String id) {
        return accounts.stream().filter(a -> a.id.equals(id)).findFirst().orElse(null);
    }

    private static Response invalidGrant(String message) {
        ObjectNode out = NODES.objectNode();
        out.put("error", "invalid_grant");
        out.put("error_description", "invalid_username_or_password");
        ObjectNode model = out.putObject("ErrorModel");
        model.put("Message", message);
        model.put("Object", "error");
        return new Response(400, "application/json", out.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Response invalidClient() {
        return new Response(400, "application/json",
                "{\"error\":\"invalid_client\",\"error_description\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    }

    // ---- sync

    private Response sync(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            ObjectNode out = NODES.objectNode();
            out.set("profile", profile(account));
            ArrayNode folders = out.putArray("folders");
            account.folders.values().forEach(folders::add);
            ArrayNode collections = out.putArray("collections");
            for (String orgId : account.organizationKeys.keySet()) {
                for (ObjectNode c : organizations.get(orgId).collections().values()) {
                    ObjectNode details = c.deepCopy();
                    details.put("readOnly", false);
                    details.put("hidePasswords", false);
                    details.put("manage", true);
                    details.put("object", "collectionDetails");
                    collections.add(details);
                }
            }
            ArrayNode ciphers = out.putArray("ciphers");
            account.ciphers.values().forEach(c -> ciphers.add(withAttachments(account, c)));
            out.putArray("policies");
            out.putArray("sends");
            if (r.exchange().getRequestURI().getQuery() != null && r.exchange().getRequestURI().getQuery().contains("excludeDomains=true")) {
                out.putNull("domains");
            } else {
                ObjectNode domains = out.putObject("domains");
                domains.putArray("equivalentDomains");
                domains.putArray("globalEquivalentDomains");
                domains.put("object", "domains");
            }
            ObjectNode decryption = out.putObject("userDecryption");
            ObjectNode unlock = decryption.putObject("masterPasswordUnlock");
            ObjectNode kdf = unlock.putObject("kdf");
            putKdf(kdf, account.kdf, "kdfType", "iterations", "memory", "parallelism");
            unlock.put("masterKeyEncryptedUserKey", account.protectedUserKey);
            unlock.put("masterKeyWrappedUserKey", account.protectedUserKey);
            unlock.put("salt", account.email);
            out.put("object", "sync");
            return Response.json(out);
        }
    }

    private ObjectNode profile(ServerAccount account) {
        ObjectNode profile = NODES.objectNode();
        profile.put("id", account.id);
        profile.put("name", account.email.substring(0, account.email.indexOf('@')));
        profile.put("email", account.email);
        profile.put("emailVerified", true);
        profile.put("premium", true);
        profile.put("premiumFromOrganization", false);
        profile.put("usesKeyConnector", false);
        profile.putNull("masterPasswordHint");
        profile.put("culture", "en-US");
        profile.put("twoFactorEnabled", false);
        profile.put("key", account.protectedUserKey);
        profile.put("privateKey", account.wrappedPrivateKey);
        profile.set("accountKeys", accountKeys(account));
        profile.put("securityStamp", account.securityStamp);
        profile.put("forcePasswordReset", false);
        profile.putNull("avatarColor");
        profile.put("creationDate", account.created);
        profile.put("verifyDevices", false);
        ArrayNode orgs = profile.putArray("organizations");
        account.organizationKeys.forEach((orgId, key) -> {
            Organization org = organizations.get(orgId);
            ObjectNode o = orgs.addObject();
            o.put("id", org.id());
            o.put("name", org.name());
            o.put("key", key);
            o.put("status", 2);
            o.put("type", 0);
            o.put("enabled", true);
            o.put("usePolicies", true);
            o.put("useTotp", true);
            o.put("useEvents", false);
            o.put("useGroups", false);
            o.put("useDirectory", false);
            o.put("useApi", true);
            o.put("selfHost", true);
            o.put("usersGetPremium", true);
            o.put("seats", 10);
            o.put("maxCollections", 100);
            o.put("maxStorageGb", 10);
            o.putNull("identifier");
            o.put("hasPublicAndPrivateKeys", false);
            o.put("resetPasswordEnrolled", false);
            o.put("userId", account.id);
            o.put("accessSecretsManager", false);
            o.put("productTierType", 3);
            o.put("keyConnectorEnabled", false);
            o.put("allowAdminAccessToAllCollectionItems", true);
            o.put("limitCollectionCreation", false);
            o.put("limitCollectionDeletion", false);
            ObjectNode permissions = o.putObject("permissions");
            for (String p : List.of("accessEventLogs", "accessImportExport", "accessReports", "createNewCollections",
                    "editAnyCollection", "deleteAnyCollection", "manageGroups", "managePolicies", "manageSso",
                    "manageUsers", "manageResetPassword", "manageScim")) {
                permissions.put(p, true);
            }
            o.put("object", "profileOrganization");
        });
        profile.putArray("providers");
        profile.putArray("providerOrganizations");
        profile.put("object", "profile");
        return profile;
    }

    /** Every collection and item of an organization the account belongs to (the organization's vault export). */
    private Response organizationExport(Request r) {
        ServerAccount account = r.account();
        String orgId = r.group(1);
        if (!account.organizationKeys.containsKey(orgId)) {
            throw new NotFound("no organization " + orgId + " for this account");
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode collections = out.putArray("collections");
        organizations.get(orgId).collections().values().forEach(c -> {
            ObjectNode copy = c.deepCopy();
            copy.put("object", "collection");
            collections.add(copy);
        });
        ArrayNode ciphers = out.putArray("ciphers");
        synchronized (this) {
            for (ServerAccount a : accounts) {
                synchronized (a) {
                    a.ciphers.values().stream().filter(c -> orgId.equals(c.path("organizationId").asText(null)))
                            .forEach(c -> {
                                ObjectNode copy = withAttachments(a, c);
                                copy.put("object", "cipherMiniDetails");
                                ciphers.add(copy);
                            });
                }
            }
        }
        return Response.json(out);
    }

    // ---- folders

    private Response createFolder(Request r) throws IOException {
        ServerAccount account = r.account();
        ObjectNode folder = NODES.objectNode();
        folder.put("id", UUID.randomUUID().toString());
        folder.put("name", r.json().path("name").asText());
        folder.put("revisionDate", Dates.now());
        folder.put("object", "folder");
        synchronized (account) {
            account.folders.put(folder.get("id").asText(), folder);
            account.changed();
        }
        return Response.json(folder);
    }

    private Response updateFolder(Request r) throws IOException {
        ServerAccount account = r.account();
        synchronized (account) {
            ObjectNode folder = account.folders.get(r.group(1));
            if (folder == null) {
                throw new NotFound("no folder " + r.group(1));
            }
            folder.put("name", r.json().path("name").asText());
            folder.put("revisionDate", Dates.now());
            account.changed();
            return Response.json(folder);
        }
    }

    private Response deleteFolder(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            if (account.folders.remove(r.group(1)) == null) {
                throw new NotFound("no folder " + r.group(1));
            }
            account.ciphers.values().stream().filter(c -> r.group(1).equals(c.path("folderId").asText(null)))
                    .forEach(c -> c.putNull("folderId"));
            account.changed();
        }
        return Response.empty();
    }

    // ---- ciphers

    /** Stores a cipher as the client sent it, with the server's fields. */
    ObjectNode storeCipher(ServerAccount account, ObjectNode request, String id, List<String> collectionIds, ObjectNode previous) {
        ObjectNode cipher = request.deepCopy();
        // request-only fields, which Bitwarden's server does not keep
        for (String requestOnly : List.of("lastKnownRevisionDate", "encryptedFor", "encryptedByKeyId")) {
            cipher.remove(requestOnly);
        }
        cipher.remove("collectionIds");
        cipher.remove("attachments");
        cipher.remove("attachments2");
        cipher.put("id", id);
        if (!cipher.hasNonNull("organizationId")) {
            cipher.putNull("organizationId");
        }
        if (!cipher.has("folderId")) {
            cipher.putNull("folderId");
        }
        String now = Dates.now();
        cipher.put("revisionDate", now);
        cipher.put("creationDate", previous != null ? previous.path("creationDate").asText(now) : now);
        if (!cipher.has("deletedDate")) {
            cipher.set("deletedDate", previous != null ? previous.get("deletedDate") : NODES.nullNode());
        }
        if (!cipher.has("archivedDate")) {
            cipher.putNull("archivedDate");
        }
        if (!cipher.has("reprompt")) {
            cipher.put("reprompt", 0);
        }
        cipher.put("edit", true);
        cipher.put("viewPassword", true);
        ObjectNode permissions = cipher.putObject("permissions");
        permissions.put("delete", true);
        permissions.put("restore", true);
        cipher.put("organizationUseTotp", true);
        ArrayNode collections = cipher.putArray("collectionIds");
        if (collectionIds.isEmpty() && previous != null) {
            previous.path("collectionIds").forEach(c -> collections.add(c.asText()));
        } else {
            collectionIds.forEach(collections::add);
        }
        cipher.set("attachmentsMeta", previous != null && previous.has("attachmentsMeta") ? previous.get("attachmentsMeta") : NODES.arrayNode());
        cipher.put("object", "cipherDetails");
        synchronized (account) {
            account.ciphers.put(id, cipher);
            account.changed();
        }
        return cipher;
    }

    private ObjectNode withAttachments(ServerAccount account, ObjectNode stored) {
        ObjectNode out = stored.deepCopy();
        ArrayNode meta = (ArrayNode) out.remove("attachmentsMeta");
        if (meta == null || meta.isEmpty()) {
            out.putNull("attachments");
        } else {
            ArrayNode attachments = out.putArray("attachments");
            for (JsonNode m : meta) {
                ObjectNode a = ((ObjectNode) m).deepCopy();
                a.put("url", base + "/attachments/" + stored.get("id").asText() + "/" + a.get("id").asText());
                attachments.add(a);
            }
        }
        return out;
    }

    private Response cipherResponse(Request r, ObjectNode stored) {
        return Response.json(withAttachments(r.account(), stored));
    }

    private ObjectNode cipher(ServerAccount account, String id) {
        synchronized (account) {
            ObjectNode cipher = account.ciphers.get(id);
            if (cipher == null) {
                throw new NotFound("no cipher " + id);
            }
            return cipher;
        }
    }

    private Response createCipher(Request r, ObjectNode request, List<String> collectionIds) {
        return cipherResponse(r, storeCipher(r.account(), request, UUID.randomUUID().toString(), collectionIds, null));
    }

    private Response updateCipher(Request r) throws IOException {
        ObjectNode previous = cipher(r.account(), r.group(1));
        return cipherResponse(r, storeCipher(r.account(), r.json(), r.group(1), List.of(), previous));
    }

    private Response softDeleteCipher(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            cipher(account, r.group(1)).put("deletedDate", Dates.now());
            account.changed();
        }
        return Response.empty();
    }

    private Response restoreCipher(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            ObjectNode cipher = cipher(account, r.group(1));
            cipher.putNull("deletedDate");
            account.changed();
            return Response.json(withAttachments(account, cipher));
        }
    }

    private Response deleteCipher(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            ObjectNode removed = account.ciphers.remove(r.group(1));
            if (removed == null) {
                throw new NotFound("no cipher " + r.group(1));
            }
            removed.path("attachmentsMeta").forEach(a -> account.attachmentData.remove(a.get("id").asText()));
            account.changed();
        }
        return Response.empty();
    }

    private Response importCiphers(Request r) throws IOException {
        ServerAccount account = r.account();
        ObjectNode body = r.json();
        List<String> folderIds = new ArrayList<>();
        synchronized (account) {
            for (JsonNode f : body.path("folders")) {
                ObjectNode folder = NODES.objectNode();
                folder.put("id", UUID.randomUUID().toString());
                folder.put("name", f.path("name").asText());
                folder.put("revisionDate", Dates.now());
                folder.put("object", "folder");
                account.folders.put(folder.get("id").asText(), folder);
                folderIds.add(folder.get("id").asText());
            }
            Map<Integer, Integer> relations = new java.util.HashMap<>();
            for (JsonNode rel : body.path("folderRelationships")) {
                relations.put(rel.path("key").asInt(), rel.path("value").asInt());
            }
            int index = 0;
            for (JsonNode c : body.path("ciphers")) {
                ObjectNode request = ((ObjectNode) c).deepCopy();
                Integer folder = relations.get(index++);
                if (folder != null) {
                    request.put("folderId", folderIds.get(folder));
                }
                storeCipher(account, request, UUID.randomUUID().toString(), List.of(), null);
            }
            account.changed();
        }
        return Response.empty();
    }

    // ---- attachments

    private Response attachmentUploadSlot(Request r) throws IOException {
        ServerAccount account = r.account();
        ObjectNode body = r.json();
        String attachmentId = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        synchronized (account) {
            ObjectNode cipher = cipher(account, r.group(1));
            ObjectNode meta = NODES.objectNode();
            meta.put("id", attachmentId);
            meta.put("fileName", body.path("fileName").asText());
            meta.put("key", body.path("key").asText());
            meta.put("size", String.valueOf(body.path("fileSize").asLong()));
            meta.put("sizeName", body.path("fileSize").asLong() + " Bytes");
            meta.put("object", "attachment");
            ((ArrayNode) cipher.withArray("attachmentsMeta")).add(meta);
            cipher.put("revisionDate", Dates.now());
            account.changed();
            ObjectNode out = NODES.objectNode();
            out.put("attachmentId", attachmentId);
            out.put("url", base + "/api/ciphers/" + r.group(1) + "/attachment/" + attachmentId);
            out.put("fileUploadType", 0);
            out.set("cipherResponse", withAttachments(account, cipher));
            out.putNull("cipherMiniResponse");
            out.put("object", "attachment-fileUpload");
            return Response.json(out);
        }
    }

    private Response attachmentUpload(Request r) {
        ServerAccount account = r.account();
        byte[] data = Multipart.firstFile(r.exchange().getRequestHeaders().getFirst("Content-Type"), r.body());
        synchronized (account) {
            cipher(account, r.group(1));
            account.attachmentData.put(r.group(2), data);
            account.changed();
        }
        return Response.empty();
    }

    private Response attachmentInfo(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            ObjectNode cipher = cipher(account, r.group(1));
            for (JsonNode m : cipher.path("attachmentsMeta")) {
                if (m.get("id").asText().equals(r.group(2))) {
                    ObjectNode out = ((ObjectNode) m).deepCopy();
                    out.put("url", base + "/attachments/" + r.group(1) + "/" + r.group(2));
                    return Response.json(out);
                }
            }
        }
        throw new NotFound("no attachment " + r.group(2));
    }

    private Response attachmentDelete(Request r) {
        ServerAccount account = r.account();
        synchronized (account) {
            ObjectNode cipher = cipher(account, r.group(1));
            ArrayNode meta = cipher.withArray("attachmentsMeta");
            for (int i = 0; i < meta.size(); i++) {
                if (meta.get(i).get("id").asText().equals(r.group(2))) {
                    meta.remove(i);
                    break;
                }
            }
            account.attachmentData.remove(r.group(2));
            account.changed();
        }
        return Response.empty();
    }

    /** The download URL: no Authorization, as Bitwarden's file storage. */
    private Response attachmentDownload(Request r) {
        synchronized (this) {
            for (ServerAccount account : accounts) {
                synchronized (account) {
                    byte[] data = account.attachmentData.get(r.group(2));
                    if (data != null && account.ciphers.containsKey(r.group(1))) {
                        return new Response(200, "application/octet-stream", data, Map.of());
                    }
                }
            }
        }
        throw new NotFound("no attachment " + r.group(2));
    }

    String base() {
        return base;
    }

    Organization organization(String id) {
        return organizations.get(id);
    }
}
