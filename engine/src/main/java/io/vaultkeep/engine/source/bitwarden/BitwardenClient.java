package io.vaultkeep.engine.source.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.source.bitwarden.BitwardenApiException.Kind;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.KdfType;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.storage.tls.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Bitwarden's and Vaultwarden's API as a backup needs it: prelogin, a token by personal API key
 * (renewed before it expires, and once on a 401), the revision date, sync and attachment downloads.
 * Sends the headers both servers expect; verifies TLS against the system's CAs plus an optional CA
 * file. Holds the API key secret as characters until {@link #close()} wipes it.
 */
public final class BitwardenClient implements AutoCloseable {

    /** How the client logs in. */
    public sealed interface Credentials {
        /** The personal API key (client credentials grant); the secret is copied and wiped on close. */
        record ApiKey(String clientId, char[] secret) implements Credentials {
            public ApiKey {
                secret = secret.clone();
            }

            @Override
            public String toString() {
                return "ApiKey(" + clientId + ")";
            }
        }

        /**
         * The master password (password grant, with a refresh token afterwards): only where the
         * account has no second factor; a fresh copy per call, which the client wipes.
         */
        record Password(String email, java.util.function.Supplier<char[]> masterPassword) implements Credentials {
            @Override
            public String toString() {
                return "Password(" + email + ")";
            }
        }
    }

    static final String CLIENT_NAME = "cli";
    /** Vaultwarden hides SSH keys from clients older than 2024.12.0. */
    static final String CLIENT_VERSION = "2025.12.0";
    private static final String DEVICE_TYPE = "25"; // Linux CLI
    private static final Duration EARLY_RENEWAL = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final HttpClient http;
    private final String deviceId;
    private final Credentials credentials;
    private final Duration timeout;
    private final Clock clock;
    private String accessToken; // guarded by this
    private String refreshToken; // guarded by this; password logins only
    private Instant renewAt = Instant.MIN;

    /**
     * @param server   {@code https://vault.example.org} (or http for a loopback test only)
     * @param deviceId stable per account: the server lists it as one device
     * @param credentials how to log in; an API key's secret is wiped by {@link #close()}
     */
    public BitwardenClient(URI server, Path caFile, String deviceId, Credentials credentials,
                           Duration timeout, Clock clock) throws IOException {
        this(server, httpClient(caFile, timeout), deviceId, credentials, timeout, clock);
    }

    /** A client on a shared {@link HttpClient} (one per trust setting serves any number of accounts). */
    public BitwardenClient(URI server, HttpClient http, String deviceId, Credentials credentials,
                           Duration timeout, Clock clock) {
        String base = server.toString();
        this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.http = http;
        this.deviceId = deviceId;
        this.credentials = credentials;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** An HTTP client that verifies TLS against the system's CAs plus those of {@code caFile} (or none). */
    public static HttpClient httpClient(Path caFile, Duration connectTimeout) throws IOException {
        return builder(caFile, connectTimeout).build();
    }

    /** As above, its own work (the JDK's otherwise being a pool of its own) on {@code executor}. */
    public static HttpClient httpClient(Path caFile, Duration connectTimeout, java.util.concurrent.Executor executor)
            throws IOException {
        return builder(caFile, connectTimeout).executor(executor).build();
    }

    private static HttpClient.Builder builder(Path caFile, Duration connectTimeout) throws IOException {
        return HttpClient.newBuilder()
                .sslContext(TlsTrust.context(caFile))
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    /** The account's KDF: {@code /identity/accounts/prelogin/password}, or the older paths on 404. */
    public KdfParameters prelogin(String email) throws IOException {
        String body = JSON.createObjectNode().put("email", email).toString();
        BitwardenApiException last = null;
        for (String path : List.of("/identity/accounts/prelogin/password", "/identity/accounts/prelogin", "/api/accounts/prelogin")) {
            HttpResponse<byte[]> response = send(json(path, body), "prelogin");
            if (response.statusCode() == 404) {
                last = new BitwardenApiException(Kind.PROTOCOL, "the server has no prelogin endpoint (tried " + path + ")");
                continue;
            }
            return preloginKdf(parse(expectOk(response, "prelogin"), "prelogin"));
        }
        throw last;
    }

    /**
     * The KDF of a prelogin answer: the newer {@code kdfSettings {kdfType, iterations, memory,
     * parallelism}} or the older flat {@code kdf, kdfIterations, kdfMemory, kdfParallelism}.
     */
    static KdfParameters preloginKdf(JsonNode answer) throws BitwardenApiException {
        JsonNode settings = field(answer, "kdfSettings");
        if (settings != null && settings.isObject()) {
            return kdfOf(number(settings, "kdfType"), number(settings, "iterations"), number(settings, "memory"), number(settings, "parallelism"));
        }
        if (field(answer, "kdf") == null) {
            throw new BitwardenApiException(Kind.PROTOCOL, "the prelogin answer names no KDF");
        }
        return kdfOf(number(answer, "kdf"), number(answer, "kdfIterations"), number(answer, "kdfMemory"), number(answer, "kdfParallelism"));
    }

    /** A property by name, ignoring the case of its first letter (Bitwarden answers in PascalCase, Vaultwarden in camelCase). */
    private static JsonNode field(JsonNode node, String camel) {
        JsonNode value = node.get(camel);
        return value != null ? value : node.get(Character.toUpperCase(camel.charAt(0)) + camel.substring(1));
    }

    private static int number(JsonNode node, String camel) {
        JsonNode value = field(node, camel);
        return value == null || value.isNull() ? 0 : value.asInt();
    }

    /** KDF parameters as the server states them, checked against the limits before any work. */
    static KdfParameters kdfOf(int type, int iterations, int memory, int parallelism) {
        return type == 1 ? new KdfParameters(KdfType.ARGON2ID, iterations, memory, parallelism)
                : new KdfParameters(KdfType.PBKDF2_SHA256, iterations, 0, 0);
    }

    /** {@code GET /api/accounts/revision-date}: epoch milliseconds of the vault's last change. */
    public long revisionDate() throws IOException {
        byte[] body = authorized("GET", "/api/accounts/revision-date", "revision date");
        String text = new String(body, StandardCharsets.UTF_8).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BitwardenApiException(Kind.PROTOCOL, "the revision date is not a number (" + Math.min(text.length(), 40) + " characters)");
        }
    }

    /** {@code GET /api/sync?excludeDomains=true}: the whole vault, encrypted. */
    public JsonNode sync() throws IOException {
        return parse(authorized("GET", "/api/sync?excludeDomains=true", "sync"), "sync");
    }

    /**
     * Opens an attachment's encrypted bytes as the server sends them (its download URL from the API,
     * then that URL without our token); the caller reads and closes the stream (never whole in
     * memory: an attachment may be hundreds of megabytes).
     */
    public InputStream openAttachment(String cipherId, String attachmentId) throws IOException {
        JsonNode info = parse(authorized("GET", "/api/ciphers/" + segment(cipherId) + "/attachment/" + segment(attachmentId),
                "attachment " + attachmentId), "attachment " + attachmentId);
        String url = info.path("url").asText(null);
        if (url == null) {
            throw new BitwardenApiException(Kind.PROTOCOL, "the server gave no download URL for attachment " + attachmentId);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = sendStream(request, "attachment " + attachmentId);
        if (response.statusCode() != 200) {
            response.body().close();
            throw failure(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    "downloading attachment " + attachmentId);
        }
        return response.body();
    }

    // ---- tokens

    private synchronized String token() throws IOException {
        if (accessToken == null || !clock.instant().isBefore(renewAt)) {
            login();
        }
        return accessToken;
    }

    private synchronized void login() throws IOException {
        accessToken = null;
        if (refreshToken != null) {
            try {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("grant_type", "refresh_token");
                form.put("client_id", CLIENT_NAME);
                form.put("refresh_token", refreshToken);
                takeToken(tokenRequest(form, "token refresh"), "token refresh");
                return;
            } catch (BitwardenApiException e) {
                if (e.kind() != Kind.AUTHENTICATION) {
                    throw e;
                }
                refreshToken = null; // expired or revoked: log in again
            }
        }
        Map<String, String> form = new LinkedHashMap<>();
        String who;
        if (credentials instanceof Credentials.ApiKey key) {
            form.put("grant_type", "client_credentials");
            form.put("scope", "api");
            form.put("client_id", key.clientId());
            form.put("client_secret", new String(key.secret()));
            who = "the API key " + key.clientId();
        } else {
            Credentials.Password password = (Credentials.Password) credentials;
            KdfParameters kdf = prelogin(password.email());
            char[] master = password.masterPassword().get();
            try {
                MasterKey masterKey = MasterKey.forAccount(master, password.email(), kdf);
                try {
                    form.put("grant_type", "password");
                    form.put("username", MasterKey.normalizeEmail(password.email()));
                    form.put("password", masterKey.passwordHash(master));
                } finally {
                    masterKey.destroy();
                }
            } finally {
                Arrays.fill(master, '\0');
            }
            form.put("scope", "api offline_access");
            form.put("client_id", CLIENT_NAME);
            who = "the master password of " + password.email();
        }
        form.put("deviceType", DEVICE_TYPE);
        form.put("deviceIdentifier", deviceId);
        form.put("deviceName", "vaultkeep");
        HttpResponse<byte[]> response = tokenRequest(form, "login");
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            throw new BitwardenApiException(Kind.AUTHENTICATION, "authentication failed: " + server.getHost()
                    + " refused " + who + " (" + errorOf(response.body()) + ")");
        }
        takeToken(response, "login");
    }

    private HttpResponse<byte[]> tokenRequest(Map<String, String> form, String what) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = base("/identity/connect/token")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> response = send(request, what);
        if (what.equals("token refresh") && (response.statusCode() == 400 || response.statusCode() == 401)) {
            throw new BitwardenApiException(Kind.AUTHENTICATION, "the refresh token was refused");
        }
        return response;
    }

    private void takeToken(HttpResponse<byte[]> response, String what) throws IOException {
        JsonNode token = parse(expectOk(response, what), what);
        String access = token.path("access_token").asText(null);
        if (access == null) {
            throw new BitwardenApiException(Kind.PROTOCOL, "the token response has no access_token");
        }
        long seconds = Math.max(60, token.path("expires_in").asLong(3600));
        accessToken = access;
        if (token.hasNonNull("refresh_token")) {
            refreshToken = token.get("refresh_token").asText();
        }
        renewAt = clock.instant().plusSeconds(seconds).minus(EARLY_RENEWAL);
    }

    private byte[] authorized(String method, String path, String what) throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = base(path).header("Authorization", "Bearer " + token()).method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<byte[]> response = send(request, what);
            if (response.statusCode() == 401 && attempt == 1) {
                synchronized (this) {
                    accessToken = null; // revoked or expired early: log in again, once
                }
                continue;
            }
            if (response.statusCode() == 401) {
                throw new BitwardenApiException(Kind.AUTHENTICATION, "authentication failed: " + server.getHost()
                        + " refused a fresh token for " + what + " (401)");
            }
            return expectOk(response, what);
        }
    }

    // ---- http

    private HttpRequest.Builder base(String path) {
        return HttpRequest.newBuilder(URI.create(server + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Device-Type", DEVICE_TYPE)
                .header("Device-Identifier", deviceId)
                .header("Bitwarden-Client-Name", CLIENT_NAME)
                .header("Bitwarden-Client-Version", CLIENT_VERSION)
                .header("User-Agent", "VaultKeep/0.1");
    }

    private HttpRequest json(String path, String body) {
        return base(path).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw transport(e, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during " + what);
        }
    }

    private HttpResponse<InputStream> sendStream(HttpRequest request, String what) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw transport(e, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during " + what);
        }
    }

    private BitwardenApiException transport(IOException e, String what) {
        String why = e instanceof SSLException ? "TLS failed (" + e.getMessage() + "; a self-hosted server may need ca-file)"
                : e instanceof HttpTimeoutException ? "timed out"
                : e instanceof ConnectException ? "connection refused"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new BitwardenApiException(Kind.UNAVAILABLE, server.getHost() + " unreachable during " + what + ": " + why,
                Optional.empty(), e);
    }

    private byte[] expectOk(HttpResponse<byte[]> response, String what) throws BitwardenApiException {
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        throw failure(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), what);
    }

    private BitwardenApiException failure(int status, String retryAfter, String what) {
        Optional<Duration> wait = RetryAfter.parse(retryAfter, clock.instant());
        if (status == 429 || status == 503) {
            return new BitwardenApiException(Kind.THROTTLED, server.getHost() + " asked to slow down during " + what + " (" + status
                    + wait.map(d -> ", retry after " + d.toSeconds() + " s").orElse("") + ")", wait, null);
        }
        if (status >= 500) {
            return new BitwardenApiException(Kind.UNAVAILABLE, server.getHost() + " failed during " + what + " (" + status + ")", wait, null);
        }
        return new BitwardenApiException(Kind.PROTOCOL, server.getHost() + " answered " + status + " to " + what);
    }

    private static JsonNode parse(byte[] body, String what) throws BitwardenApiException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new BitwardenApiException(Kind.PROTOCOL, "the " + what + " response is not JSON");
        }
    }

    /** The OAuth error code only: descriptions may echo what was sent. */
    private static String errorOf(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error.path("error").asText("refused");
        } catch (IOException e) {
            return "refused";
        }
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (credentials instanceof Credentials.ApiKey key) {
            Arrays.fill(key.secret(), '\0');
        }
        accessToken = null;
        refreshToken = null;
    }

    @Override
    public String toString() {
        return "BitwardenClient(" + server + ", " + credentials + ")";
    }
}
