package io.vaultkeep.engine.host.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.host.AccountActivity;
import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.Health;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StatusPageTest {

    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String HOSTILE = "<script>alert('x')</script>&\"";

    static AccountStatus ok(String id, Instant lastSnapshotAt) {
        return new AccountStatus(id, AccountActivity.IDLE, "snap-" + id, lastSnapshotAt, null, 0, null, null, List.of(), lastSnapshotAt);
    }

    static AccountStatus failed(String id, String error) {
        return new AccountStatus(id, AccountActivity.FAILED, null, null, error, 2, null, null, List.of(), null);
    }

    static RepositoryView repository(int snapshots, int retention) {
        List<RepositoryView.SnapshotRow> rows = new ArrayList<>();
        for (int i = 0; i < snapshots; i++) {
            rows.add(new RepositoryView.SnapshotRow("s" + i, NOW.minus(Duration.ofHours(i)), 3, 1, 1000L * (i + 1), i < retention));
        }
        return new RepositoryView(NOW, true, rows, 123_456, retention, null);
    }

    /** The table row of {@code id} in a rendered page. */
    static String row(String html, String id) {
        Matcher m = Pattern.compile("<tr class=\"account [a-z]+\" data-account=\"" + Pattern.quote(id) + "\".*?</tr>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no row for " + id + " in\n" + html);
        return m.group();
    }

    @Test
    void aFailingAccountsRowIsMarkedFailingWithItsErrorAndAnOkOneIsNot() {
        String html = StatusPage.render(List.of(ok("alice", NOW.minusSeconds(300)), failed("bob", "wrong backup password for /srv/bob")),
                id -> Optional.empty(), Health.ok(), NOW);
        String bob = row(html, "bob");
        assertTrue(bob.startsWith("<tr class=\"account failing\""), bob);
        assertTrue(bob.contains("<td class=\"error\">wrong backup password for /srv/bob</td>"), bob);
        assertTrue(bob.contains("<td class=\"state\">failed</td>"), bob);
        assertTrue(bob.contains("<td class=\"next\">stopped until you act</td>"), bob);
        String alice = row(html, "alice");
        assertTrue(alice.startsWith("<tr class=\"account ok\""), alice);
        assertTrue(alice.contains("5 min ago"), alice);
        assertTrue(html.contains("1 account needs attention."), html);
        assertTrue(html.contains("<title>VaultKeep status (1 failing)</title>"), html);
    }

    @Test
    void anAccountBackingOffOrWithAnErrorCountsAsFailing() {
        AccountStatus backingOff = new AccountStatus("c", AccountActivity.BACKING_OFF, null, null, null, 1, NOW, null, List.of(), null);
        AccountStatus idleWithError = new AccountStatus("d", AccountActivity.IDLE, null, null, "location full", 0, null, null, List.of(), null);
        assertTrue(StatusPage.failing(backingOff));
        assertTrue(StatusPage.failing(idleWithError));
        assertFalse(StatusPage.failing(ok("e", NOW)));
    }

    @Test
    void everyValueFromAnAccountIsEscaped() {
        String html = StatusPage.render(List.of(failed(HOSTILE, HOSTILE)), id -> Optional.empty(),
                Health.unhealthy("account " + HOSTILE + " refused"), NOW);
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("alert('x')"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"), html);
        // the link to its page: one escaped, percent-encoded segment
        assertTrue(html.contains("href=\"/accounts/%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%26%22\""), html);
    }

    @Test
    void theSizeHistoryShowsTheLastTenSnapshotsScaledToTheLargest() {
        String html = StatusPage.render(List.of(ok("alice", NOW)), id -> Optional.of(repository(14, 30)), Health.ok(), NOW);
        String alice = row(html, "alice");
        Matcher bars = Pattern.compile("<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"8\" height=\"(\\d+)\">").matcher(alice);
        List<Integer> heights = new ArrayList<>();
        while (bars.find()) {
            heights.add(Integer.parseInt(bars.group(3)));
        }
        // s9 (10 000 B) oldest on the left … s0 (1 000 B) newest on the right
        assertEquals(List.of(24, 22, 19, 17, 14, 12, 10, 7, 5, 2), heights);
        assertTrue(alice.contains("120.6 KiB"), alice);
    }

    @Test
    void anAccountWhoseRepositoryIsNotReadYetShowsAnEllipsis() {
        String alice = row(StatusPage.render(List.of(ok("alice", NOW)), id -> Optional.empty(), Health.ok(), NOW), "alice");
        assertTrue(alice.contains("<td class=\"num size\">&hellip;</td>"), alice);
    }

    @Test
    void thePageReloadsItselfAndItsStyleIsAllowedByItsHash() throws Exception {
        String html = StatusPage.render(List.of(), id -> Optional.empty(), Health.ok(), NOW);
        assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"" + PageLayout.REFRESH_SECONDS + "\">"), html);
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        assertTrue(style.find());
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(PageLayout.CONTENT_SECURITY_POLICY.contains("style-src 'sha256-" + hash + "'"), PageLayout.CONTENT_SECURITY_POLICY);
        assertTrue(PageLayout.CONTENT_SECURITY_POLICY.startsWith("default-src 'none'"));
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("All accounts are fine."), html);
    }

    @Test
    void agesReadAsAPersonSaysThem() {
        Map<Duration, String> expected = Map.of(Duration.ofSeconds(2), "just now", Duration.ofSeconds(42), "42 s ago",
                Duration.ofMinutes(5), "5 min ago", Duration.ofHours(3), "3 h ago", Duration.ofDays(4), "4 d ago",
                Duration.ofMinutes(-10), "in 10 min");
        expected.forEach((ago, text) -> assertEquals(text, Html.age(NOW.minus(ago), NOW), ago::toString));
        assertEquals("-", Html.age(null, NOW));
        assertEquals("1023 B", Html.bytes(1023));
        assertEquals("1.5 MiB", Html.bytes(3L << 19));
    }
}
