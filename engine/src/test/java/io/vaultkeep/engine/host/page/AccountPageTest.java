package io.vaultkeep.engine.host.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AccountPageTest {

    @Test
    void eachSnapshotSaysWhetherTheNextPruneKeepsOrDropsIt() {
        String html = AccountPage.render(StatusPageTest.ok("alice", StatusPageTest.NOW), StatusPageTest.repository(7, 5), StatusPageTest.NOW);
        Matcher rows = Pattern.compile("<tr class=\"snapshot (kept|dropped)\" data-snapshot=\"(s\\d)\">").matcher(html);
        StringBuilder seen = new StringBuilder();
        while (rows.find()) {
            seen.append(rows.group(2)).append('=').append(rows.group(1)).append(' ');
        }
        assertEquals("s0=kept s1=kept s2=kept s3=kept s4=kept s5=dropped s6=dropped ", seen.toString());
        assertTrue(html.contains("Retention keeps at most 5 snapshots"), html);
        assertTrue(html.contains("the next prune drops 2 snapshots."), html);
        assertTrue(html.contains("<meta http-equiv=\"refresh\""), html);
    }

    @Test
    void aRepositoryThatCannotBeReadShowsWhyInsteadOfSnapshots() {
        RepositoryView unreadable = RepositoryView.unreadable(StatusPageTest.NOW, 0,
                "the repository could not be read: location http://nas/<b>bob</b> refused the connection");
        String html = AccountPage.render(StatusPageTest.failed("bob", "wrong backup password"), unreadable, StatusPageTest.NOW);
        assertTrue(html.contains("<p class=\"banner bad\" id=\"repository-problem\">the repository could not be read: location "
                + "http://nas/&lt;b&gt;bob&lt;/b&gt; refused the connection</p>"), html);
        assertFalse(html.contains("<table id=\"snapshots\">"), html);
        assertTrue(html.contains("<td class=\"error\" id=\"last-error\">wrong backup password</td>"), html);
        assertTrue(html.contains("<tr class=\"failing\"><th>State</th><td class=\"state\">failed</td>"), html);
    }

    @Test
    void neverPruningSaysSo() {
        assertEquals("Retention: never prune; every snapshot is kept.", AccountPage.retentionText(StatusPageTest.repository(3, 0)));
    }
}
