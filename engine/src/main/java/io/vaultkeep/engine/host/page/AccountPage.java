package io.vaultkeep.engine.host.page;

import io.vaultkeep.engine.host.AccountStatus;
import java.time.Instant;

/** The page at {@code /accounts/{id}}: the account's status, its snapshots, and what retention keeps and drops next. */
public final class AccountPage {

    private AccountPage() {}

    public static String render(AccountStatus a, RepositoryView repository, Instant now) {
        boolean failing = StatusPage.failing(a);
        StringBuilder b = new StringBuilder(4096 + repository.snapshots().size() * 300);
        b.append("<p><a href=\"/\">&larr; All accounts</a></p>\n<h1>Account <span id=\"account\">").append(Html.text(a.id()))
                .append("</span></h1>\n<p class=\"meta\">as of ").append(Html.time(now)).append(" &middot; reloads every ")
                .append(PageLayout.REFRESH_SECONDS).append(" s</p>\n");
        b.append("<table id=\"status\"><tbody>\n<tr class=\"").append(failing ? "failing" : "ok").append("\"><th>State</th><td class=\"state\">")
                .append(Html.text(a.state().wireName())).append("</td></tr>\n");
        if (a.inFlightRun() != null) {
            field(b, "Run in progress", a.inFlightRun().stage() + ", started " + Html.age(a.inFlightRun().startedAt(), now));
        }
        field(b, "Last snapshot", a.lastSnapshotId() == null ? "none yet"
                : a.lastSnapshotId() + " (" + Html.time(a.lastSnapshotAt()) + ", " + Html.age(a.lastSnapshotAt(), now) + ")");
        field(b, "Last checked", a.lastCheckedAt() == null ? "-" : Html.time(a.lastCheckedAt()) + " (" + Html.age(a.lastCheckedAt(), now) + ")");
        field(b, "Next run", a.nextDueAt() == null || StatusPage.stopped(a) ? StatusPage.nextRun(a, now)
                : Html.time(a.nextDueAt()) + " (" + Html.age(a.nextDueAt(), now) + ")");
        field(b, "Failures in a row", Integer.toString(a.consecutiveFailures()));
        if (a.lastError() != null) {
            b.append("<tr class=\"failing\"><th>Last error</th><td class=\"error\" id=\"last-error\">").append(Html.text(a.lastError()))
                    .append("</td></tr>\n");
        }
        for (String warning : a.warnings()) {
            field(b, "Left out of the last snapshot", warning);
        }
        b.append("</tbody></table>\n");
        repository(b, repository, now);
        return PageLayout.page("VaultKeep: " + a.id(), true, b.toString());
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append("<tr><th>").append(Html.text(name)).append("</th><td>").append(Html.text(value)).append("</td></tr>\n");
    }

    private static void repository(StringBuilder b, RepositoryView r, Instant now) {
        b.append("<h2>Snapshots</h2>\n");
        if (r.problem() != null) {
            b.append("<p class=\"banner bad\" id=\"repository-problem\">").append(Html.text(r.problem())).append("</p>\n");
        }
        if (!r.exists()) {
            if (r.problem() == null) {
                b.append("<p id=\"no-repository\">No repository yet: the first run creates it.</p>\n");
            }
            return;
        }
        b.append("<p class=\"meta\">read from the index ").append(Html.text(Html.age(r.readAt(), now))).append(" &middot; ")
                .append(r.snapshots().size()).append(r.snapshots().size() == 1 ? " snapshot" : " snapshots")
                .append(" &middot; ").append(Html.text(Html.bytes(r.storedBytes()))).append(" stored</p>\n");
        b.append("<p id=\"retention\">").append(Html.text(retentionText(r))).append("</p>\n");
        b.append("<p>").append(StatusPage.sizeChart(r)).append("</p>\n");
        b.append("<table id=\"snapshots\">\n<thead><tr><th>Snapshot</th><th>Created</th><th>Items</th><th>Attachments</th>"
                + "<th>Size</th><th>Retention</th></tr></thead>\n<tbody>\n");
        for (RepositoryView.SnapshotRow s : r.snapshots()) {
            b.append("<tr class=\"snapshot ").append(s.kept() ? "kept" : "dropped").append("\" data-snapshot=\"").append(Html.text(s.id()))
                    .append("\"><td>").append(Html.text(s.id())).append("</td><td>").append(Html.text(Html.time(s.createdAt())))
                    .append(" (").append(Html.text(Html.age(s.createdAt(), now))).append(")</td><td class=\"num\">").append(s.items())
                    .append("</td><td class=\"num\">").append(s.attachments()).append("</td><td class=\"num\">")
                    .append(Html.text(Html.bytes(s.size()))).append("</td><td>").append(s.kept() ? "kept" : "dropped at the next prune")
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    static String retentionText(RepositoryView r) {
        if (r.retention() <= 0) {
            return "Retention: never prune; every snapshot is kept.";
        }
        int dropped = r.droppedNext().size();
        return "Retention keeps at most " + r.retention() + " snapshots (the newest, one a week, one a day, then the newest of the rest): "
                + (dropped == 0 ? "the next prune drops nothing." : "the next prune drops " + dropped + (dropped == 1 ? " snapshot." : " snapshots."));
    }
}
