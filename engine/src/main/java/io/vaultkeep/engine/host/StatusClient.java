package io.vaultkeep.engine.host;

import io.vaultkeep.engine.cluster.ClusterMember;
import io.vaultkeep.engine.config.ConfigChanges;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Talks to a running host's {@link StatusServer}. Every method throws
 * {@link HostNotRunningException} when nothing answers, and an {@link IOException} naming the
 * address and the HTTP status when something answers that is not a working VaultKeep host.
 */
public final class StatusClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String token;
    private final HttpClient http;

    /** A client without the token: only {@link #health()} answers. */
    public StatusClient(URI base) {
        this(base, null);
    }

    /**
     * @param base  the endpoint, e.g. {@code http://127.0.0.1:8420}
     * @param token the host's {@link StatusToken} (null: none, every call but health gets 401)
     */
    public StatusClient(URI base, String token) {
        this.token = token;
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if (!"http".equals(this.base.getScheme()) || this.base.getHost() == null) {
            throw new IllegalArgumentException("the status address must be http://HOST:PORT, not '" + base + "'");
        }
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI base() {
        return base;
    }

    /** The host's health; an unhealthy host (503) is an answer, not an error. */
    public Health health() throws IOException {
        HttpResponse<byte[]> response = send(get("/health"));
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw unexpected(response);
        }
        return read(response, StatusJson.HealthBody.class).toHealth();
    }

    public List<AccountStatus> accounts() throws IOException {
        HttpResponse<byte[]> response = send(get("/accounts"));
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        return read(response, new TypeReference<List<AccountStatus>>() {});
    }

    /** The members of the host's cluster: empty for a host that runs alone (or one from before clusters). */
    public List<ClusterMember> members() throws IOException {
        HttpResponse<byte[]> response = send(get("/members"));
        if (response.statusCode() == 404 && isJson(response)) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        return read(response, new TypeReference<List<ClusterMember>>() {});
    }

    /** Empty when the host has no such account. */
    public Optional<AccountStatus> account(String id) throws IOException {
        HttpResponse<byte[]> response = send(get("/accounts/" + segment(id)));
        if (response.statusCode() == 404 && isJson(response)) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        return Optional.of(read(response, AccountStatus.class));
    }

    /**
     * Asks the host to back the account up now (skipping the debounce wait).
     *
     * @return false when the host has no such account
     */
    public boolean backupNow(String id) throws IOException {
        HttpRequest request = request("/accounts/" + segment(id) + "/backup-now")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() == 404 && isJson(response)) {
            return false;
        }
        if (response.statusCode() != 202) {
            throw unexpected(response);
        }
        return true;
    }

    /**
     * A one-time address that logs a browser in to the host's status pages (all accounts, or
     * {@code account}'s page when given); it works once, within two minutes.
     *
     * @throws IllegalArgumentException when the host has no such account
     */
    public URI pageLogin(String account) throws IOException {
        String query = account == null ? "" : "?account=" + segment(account);
        HttpResponse<byte[]> response = send(request("/page-login" + query).POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() == 404 && isJson(response) && account != null) {
            throw new IllegalArgumentException("no account '" + account + "' on the host at " + base);
        }
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        return URI.create(base + read(response, StatusServer.PageLoginBody.class).path());
    }

    /**
     * Asks the host to re-read its config file.
     *
     * @throws IOException also when the file is broken (the host's message names file and line)
     */
    public ConfigChanges reload() throws IOException {
        HttpResponse<byte[]> response = send(request("/reload").POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        return read(response, ConfigChanges.class);
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new HostNotRunningException(base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + base, e);
        }
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isJson(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
    }

    private <T> T read(HttpResponse<byte[]> response, Class<T> type) throws IOException {
        try {
            return StatusJson.MAPPER.readValue(response.body(), type);
        } catch (IOException e) {
            throw notVaultKeep(response);
        }
    }

    private <T> T read(HttpResponse<byte[]> response, TypeReference<T> type) throws IOException {
        try {
            return StatusJson.MAPPER.readValue(response.body(), type);
        } catch (IOException e) {
            throw notVaultKeep(response);
        }
    }

    private IOException notVaultKeep(HttpResponse<?> response) {
        return new IOException("the answer from " + response.uri() + " is not a VaultKeep status (HTTP " + response.statusCode()
                + "): is another program listening at " + base + "?");
    }

    private IOException unexpected(HttpResponse<byte[]> response) {
        if (response.statusCode() == 401) {
            return new IOException("the host at " + base + " refused the request: it needs the host's status token ("
                    + (token == null ? "none given" : "the one given is not the running host's")
                    + "); give --config with the host's config file, or --token-file <data-dir>/" + StatusToken.FILE_NAME);
        }
        if (isJson(response)) {
            try {
                StatusJson.ErrorBody error = StatusJson.MAPPER.readValue(response.body(), StatusJson.ErrorBody.class);
                if (error.error() != null) {
                    return new IOException("the host at " + base + " answered HTTP " + response.statusCode() + ": " + error.error());
                }
            } catch (IOException ignored) {
                // not our error shape: fall through to the generic message
            }
        }
        return notVaultKeep(response);
    }
}
