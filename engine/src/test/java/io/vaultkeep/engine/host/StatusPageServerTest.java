package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import io.vaultkeep.engine.host.page.PageLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status pages over HTTP as a browser meets them: refused, logged in once, then read with the cookie. */
class StatusPageServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

    private final FakeHostStatus host = new FakeHostStatus(FakeHostStatus.ALICE, FakeHostStatus.BOB);
    private final HttpClient http = HttpClient.newHttpClient(); // follows no redirect: the 303 is seen
    @TempDir
    Path dataDir;
    private String bearer;
    private StatusServer server;

    @BeforeEach
    void start() throws Exception {
        StatusToken token = StatusToken.create(dataDir);
        bearer = "Bearer " + StatusToken.read(dataDir.resolve(StatusToken.FILE_NAME));
        server = StatusServer.start(new StatusEndpoint("127.0.0.1", 0), token, host);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> page(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).header("Accept", HTML);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String loginPath(String query) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/page-login" + query))
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("path").asText();
    }

    /** Logs in with a fresh code: the session cookie, as "name=value". */
    private String logIn() throws Exception {
        HttpResponse<String> login = page(loginPath(""), null);
        assertEquals(303, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void withoutLoginThePageIsRefusedWithHowToLogIn() throws Exception {
        HttpResponse<String> r = page("/", null);
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("vaultkeep status --open"), r.body());
        assertFalse(r.body().contains("alice"), r.body());
        assertEquals(401, page("/", "vaultkeep_" + server.port() + "=forged").statusCode());
        assertEquals(401, page("/accounts/alice", null).statusCode());
        HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(server.uri().resolve("/")).header("Authorization", bearer).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withToken.statusCode(), "the status token admits as a session does");
    }

    @Test
    void aLoginCodeGivesAStrictHttpOnlyCookieOnceAndThePageShowsTheAccounts() throws Exception {
        String path = loginPath("");
        assertTrue(path.matches("/login\\?code=[A-Za-z0-9_-]{43}"), path);
        HttpResponse<String> login = page(path, null);
        assertEquals(303, login.statusCode());
        assertEquals("/", login.headers().firstValue("Location").orElseThrow());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.matches("vaultkeep_" + server.port() + "=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict"),
                setCookie);
        assertEquals(401, page(path, null).statusCode(), "a code works once");

        HttpResponse<String> r = page("/", setCookie.substring(0, setCookie.indexOf(';')));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("data-account=\"alice\"") && r.body().contains("data-account=\"bob\""), r.body());
        assertTrue(r.body().contains("<tr class=\"account failing\" data-account=\"bob\""), r.body());
        assertTrue(r.body().contains("location /srv/backups/bob is full"), r.body());
        assertEquals(PageLayout.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertFalse(r.body().contains(bearer.substring(7)), "the token is never in a page");
    }

    @Test
    void anAccountsPathGivesItsPageToABrowserAndJsonToEveryoneElse() throws Exception {
        String cookie = logIn();
        HttpResponse<String> page = page("/accounts/bob", cookie);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<td class=\"error\" id=\"last-error\">location /srv/backups/bob is full</td>"), page.body());
        assertEquals(404, page("/accounts/carol", cookie).statusCode());
        HttpResponse<String> hostile = page("/accounts/%3Cscript%3Ealert(1)%3Cb%3E", cookie);
        assertEquals(404, hostile.statusCode());
        assertTrue(hostile.body().contains("no account &#39;&lt;script&gt;alert(1)&lt;b&gt;&#39;"), hostile.body());
        assertFalse(hostile.body().contains("<script>"), "a path is never markup: " + hostile.body());

        HttpResponse<String> json = http.send(HttpRequest.newBuilder(server.uri().resolve("/accounts/bob")).header("Authorization", bearer)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("bob", JSON.readTree(json.body()).get("id").asText());
    }

    @Test
    void theCookieAdmitsToThePagesOnlyNeverToTheApi() throws Exception {
        String cookie = logIn();
        HttpResponse<String> accounts = http.send(HttpRequest.newBuilder(server.uri().resolve("/accounts")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, accounts.statusCode());
        HttpResponse<String> backupNow = http.send(HttpRequest.newBuilder(server.uri().resolve("/accounts/alice/backup-now"))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, backupNow.statusCode());
        assertTrue(host.backupNowRequests.isEmpty());
        HttpResponse<String> mint = http.send(HttpRequest.newBuilder(server.uri().resolve("/page-login")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, mint.statusCode(), "a session cannot make login codes");
    }

    @Test
    void aLoginForOneAccountLeadsToItsPage() throws Exception {
        HttpResponse<String> login = page(loginPath("?account=alice"), null);
        assertEquals("/accounts/alice", login.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(server.uri().resolve("/page-login?account=carol"))
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, none.statusCode());
    }

    @Test
    void thePagesAreReadOnly() throws Exception {
        String cookie = logIn();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("/")).header("Cookie", cookie)
                .header("Accept", HTML).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(URI.create("http://127.0.0.1:" + server.port()), server.uri());
    }
}
