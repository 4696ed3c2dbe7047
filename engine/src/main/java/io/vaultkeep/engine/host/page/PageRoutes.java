package io.vaultkeep.engine.host.page;

import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.HostStatusProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status endpoint's HTML side, for a person in a browser: {@code GET /} (all accounts),
 * {@code GET /accounts/{id}} asked for as HTML (one account; the same path gives JSON to every
 * other caller), and {@code GET /login?code=…}, which trades a one-time code from
 * {@code vaultkeep status --open} for a session cookie (HttpOnly, SameSite=Strict). Pages are
 * read-only: a cookie admits to nothing else, so no form of another site can make the host act.
 */
public final class PageRoutes implements AutoCloseable {

    /** A page to send: its status, HTML and the headers beyond the ones every page has (see {@link #HEADERS}). */
    public record Page(int status, String html, Map<String, String> headers) {
        Page(int status, String html) {
            this(status, html, Map.of());
        }
    }

    /** Sent with every page: only its own style sheet runs, never in a frame, never cached, never a referrer. */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "text/html; charset=utf-8",
            "Content-Security-Policy", PageLayout.CONTENT_SECURITY_POLICY,
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store",
            "Vary", "Accept, Cookie");

    private final HostStatusProvider provider;
    private final PageSessions sessions;
    private final RepositoryViews repositories;
    private final Clock clock;
    /** Per port: two hosts on one machine share cookies (cookies ignore ports), not sessions. */
    private final String cookieName;

    public PageRoutes(HostStatusProvider provider, int port, Clock clock) {
        this.provider = provider;
        this.clock = clock;
        this.sessions = new PageSessions(clock);
        this.repositories = new RepositoryViews(provider::repository, clock, Duration.ofMinutes(5), Duration.ofSeconds(20),
                Duration.ofSeconds(10), 2);
        this.cookieName = "vaultkeep_" + port;
    }

    /** Whether a request is for a page rather than for the JSON API. */
    public static boolean isPage(List<String> path, String accept) {
        return path.isEmpty() || path.equals(List.of("login"))
                || path.size() == 2 && path.get(0).equals("accounts") && accept != null && accept.contains("text/html");
    }

    /**
     * A login path for {@code status --open}: {@code /login?code=…}, leading to the account's page
     * ({@code account} non-null) or to all accounts. The caller has checked the status token.
     */
    public String newLoginPath(String account) {
        String target = account == null ? "/" : "/accounts/" + URLEncoder.encode(account, StandardCharsets.UTF_8).replace("+", "%20");
        return "/login?code=" + sessions.newLoginCode(target);
    }

    /**
     * Serves a page request ({@link #isPage}).
     *
     * @param query  the raw query (the login code), or null
     * @param cookie the Cookie header, or null
     * @param token  whether the request carries the status token (which admits as a session does)
     */
    public Page serve(String method, List<String> path, String query, String cookie, boolean token) {
        if (!method.equals("GET")) {
            return new Page(405, PageLayout.problem("Not allowed", "pages are only read (GET)"), Map.of("Allow", "GET"));
        }
        if (path.equals(List.of("login"))) {
            return login(query);
        }
        if (!token && !sessions.admits(cookieValue(cookie))) {
            return new Page(401, PageLayout.loginNeeded("You are not logged in, or your session has expired."));
        }
        if (path.isEmpty()) {
            List<AccountStatus> accounts = provider.accounts();
            Map<String, String> newest = new java.util.HashMap<>();
            accounts.forEach(a -> newest.put(a.id(), a.lastSnapshotId()));
            return new Page(200, StatusPage.render(accounts, id -> repositories.cached(id, newest.get(id)), provider.health(),
                    clock.instant()));
        }
        String id = path.get(1);
        Optional<AccountStatus> account = provider.account(id);
        if (account.isEmpty()) {
            return new Page(404, PageLayout.problem("No such account", "this host has no account '" + id + "'"));
        }
        RepositoryView view = repositories.current(id, account.get().lastSnapshotId())
                .orElseGet(() -> RepositoryView.unreadable(clock.instant(), 0, "the host has no repository settings for this account"));
        return new Page(200, AccountPage.render(account.get(), view, clock.instant()));
    }

    private Page login(String query) {
        Optional<String> target = sessions.redeem(parameter(query, "code"));
        if (target.isEmpty()) {
            return new Page(401, PageLayout.loginNeeded("This login address is used up, has expired, or was never this host's."));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", target.get());
        headers.put("Set-Cookie", cookieName + "=" + sessions.newSession() + "; Path=/; Max-Age="
                + PageSessions.SESSION_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict");
        return new Page(303, PageLayout.page("VaultKeep: logged in", false,
                "<p>Logged in: <a href=\"" + Html.text(target.get()) + "\">continue</a>.</p>"), headers);
    }

    private String cookieValue(String header) {
        return header == null ? null : parameter(header.replace(';', '&').replace(" ", ""), cookieName);
    }

    /** The value of {@code name} in {@code a=1&b=2}, or null. */
    public static String parameter(String pairs, String name) {
        if (pairs == null) {
            return null;
        }
        for (String pair : pairs.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        repositories.close();
    }
}
