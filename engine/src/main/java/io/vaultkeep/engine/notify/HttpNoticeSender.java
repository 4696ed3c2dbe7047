package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyEvent;
import io.vaultkeep.engine.config.NotifyTarget;
import io.vaultkeep.storage.tls.TlsTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Webhooks (the notice as JSON, POSTed) and pings ({@code url/start}, {@code url}, {@code url/fail},
 * the summary as the body). TLS is verified: against the system's CAs or those of {@code ca-file}.
 * Anything but a 2xx answer is a failure, retried.
 */
final class HttpNoticeSender implements NoticeSender {

    private final HttpClient client;
    private final Duration timeout;
    private final java.util.function.Function<Notice, Optional<HttpRequest.Builder>> request;

    private HttpNoticeSender(Optional<Path> caFile, Duration timeout,
                             java.util.function.Function<Notice, Optional<HttpRequest.Builder>> request) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile.isPresent()) {
            builder.sslContext(TlsTrust.context(caFile.get()));
        }
        this.client = builder.build();
        this.timeout = timeout;
        this.request = request;
    }

    static HttpNoticeSender webhook(NotifyTarget.Webhook target) throws IOException {
        return new HttpNoticeSender(target.caFile(), target.timeout(), notice -> Optional.of(HttpRequest.newBuilder(target.url())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(NoticeJson.of(notice)))));
    }

    static HttpNoticeSender ping(NotifyTarget.Ping target) throws IOException {
        return new HttpNoticeSender(target.caFile(), target.timeout(), notice -> pingUrl(target.url(), notice.event())
                .map(url -> HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(notice.summary()))));
    }

    /** Where a ping for {@code event} goes; none for a recovery (the success ping says it). */
    static Optional<URI> pingUrl(URI base, NotifyEvent event) {
        String suffix = switch (event) {
            case RUN_STARTED -> "/start";
            case SUCCESS -> "";
            case RECOVERED -> null;
            default -> "/fail";
        };
        if (suffix == null) {
            return Optional.empty();
        }
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "" : base.getRawPath().replaceAll("/+$", "");
        return Optional.of(URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + suffix
                + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery())));
    }

    @Override
    public void send(Notice notice) throws IOException, InterruptedException {
        Optional<HttpRequest.Builder> builder = request.apply(notice);
        if (builder.isEmpty()) {
            return;
        }
        HttpResponse<Void> response = client.send(builder.get().timeout(timeout)
                .header("User-Agent", "VaultKeep").build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("answered HTTP " + response.statusCode());
        }
    }
}
