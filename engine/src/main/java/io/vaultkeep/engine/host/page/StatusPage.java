package io.vaultkeep.engine.host.page;

import io.vaultkeep.engine.host.AccountActivity;
import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.Health;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The page at {@code /}: every account in one table, the failing ones red with their error. */
public final class StatusPage {

    /** How many snapshots the size history shows. */
    static final int HISTORY = 10;
    private static final int BAR_WIDTH = 8;
    private static final int CHART_HEIGHT = 24;

    private StatusPage() {}

    /**
     * Whether a person should look at the account: it failed, backs off after a failure, its
     * repository is damaged, or its last run left an error.
     */
    public static boolean failing(AccountStatus a) {
        return stopped(a) || a.state() == AccountActivity.BACKING_OFF || a.lastError() != null || a.consecutiveFailures() > 0;
    }

    /**
     * @param repositories what is known of each account's repository (empty: not read yet)
     */
    public static String render(List<AccountStatus> accounts, Function<String, Optional<RepositoryView>> repositories,
                                Health health, Instant now) {
        long failing = accounts.stream().filter(StatusPage::failing).count();
        StringBuilder b = new StringBuilder(512 + accounts.size() * 1200);
        b.append("<h1>VaultKeep status</h1>\n<p class=\"meta\">").append(accounts.size()).append(accounts.size() == 1 ? " account" : " accounts")
                .append(" &middot; as of ").append(Html.time(now)).append(" &middot; reloads every ")
                .append(PageLayout.REFRESH_SECONDS).append(" s</p>\n");
        if (health.healthy() && failing == 0) {
            b.append("<p class=\"banner good\" id=\"health\">All accounts are fine.</p>\n");
        } else {
            b.append("<div class=\"banner bad\" id=\"health\">")
                    .append(failing == 0 ? "" : failing + (failing == 1 ? " account needs" : " accounts need") + " attention.");
            for (String reason : health.reasons()) {
                b.append("<br>").append(Html.text(reason));
            }
            b.append("</div>\n");
        }
        b.append("<table id=\"accounts\">\n<thead><tr><th>Account</th><th>State</th><th>Last snapshot</th><th>Next run</th>"
                + "<th>Failures</th><th>Last error</th><th>Repository</th><th>Last ").append(HISTORY).append(" sizes</th></tr></thead>\n<tbody>\n");
        for (AccountStatus a : accounts) {
            row(b, a, repositories.apply(a.id()), now);
        }
        b.append("</tbody></table>\n");
        return PageLayout.page("VaultKeep status" + (failing == 0 ? "" : " (" + failing + " failing)"), true, b.toString());
    }

    private static void row(StringBuilder b, AccountStatus a, Optional<RepositoryView> repository, Instant now) {
        boolean failing = failing(a);
        b.append("<tr class=\"account ").append(failing ? "failing" : "ok").append("\" data-account=\"").append(Html.text(a.id()))
                .append("\" data-state=\"").append(a.state().wireName()).append("\">");
        b.append("<td class=\"id\"><a href=\"").append(Html.accountHref(a.id())).append("\">").append(Html.text(a.id())).append("</a></td>");
        b.append("<td class=\"state\">").append(Html.text(stateText(a))).append("</td>");
        b.append("<td class=\"snapshot\">");
        if (a.lastSnapshotId() == null) {
            b.append("none yet");
        } else {
            b.append("<span class=\"snapshot-id\" title=\"").append(Html.text(Html.time(a.lastSnapshotAt()))).append("\">")
                    .append(Html.text(a.lastSnapshotId())).append("</span><br><span class=\"age\">")
                    .append(Html.text(Html.age(a.lastSnapshotAt(), now))).append("</span>");
        }
        b.append("</td>");
        b.append("<td class=\"next\">").append(Html.text(nextRun(a, now))).append("</td>");
        b.append("<td class=\"num failures\">").append(a.consecutiveFailures()).append("</td>");
        b.append("<td class=\"error\">").append(a.lastError() == null ? "" : Html.text(a.lastError())).append("</td>");
        b.append("<td class=\"num size\">").append(repository.map(StatusPage::sizeText).map(Html::text).orElse("&hellip;")).append("</td>");
        b.append("<td class=\"history\">").append(repository.map(StatusPage::sizeChart).orElse("")).append("</td>");
        b.append("</tr>\n");
    }

    /** When the account runs next, as a person reads it; a failed or damaged one waits for its operator. */
    static String nextRun(AccountStatus a, Instant now) {
        if (stopped(a)) {
            return "stopped until you act";
        }
        return a.nextDueAt() == null ? "on the next change" : Html.age(a.nextDueAt(), now);
    }

    /** Runs stopped until an operator acts (a wrong password, a damaged index). */
    static boolean stopped(AccountStatus a) {
        return a.state() == AccountActivity.FAILED || a.state() == AccountActivity.DAMAGED;
    }

    private static String stateText(AccountStatus a) {
        String state = a.state().wireName();
        return a.inFlightRun() == null || a.inFlightRun().stage() == null ? state : state + " (" + a.inFlightRun().stage() + ")";
    }

    private static String sizeText(RepositoryView r) {
        if (r.problem() != null && !r.exists()) {
            return "unreadable";
        }
        return r.exists() ? Html.bytes(r.storedBytes()) : "none yet";
    }

    /** An inline SVG of the last {@link #HISTORY} snapshot sizes, oldest left; each bar names its snapshot. */
    static String sizeChart(RepositoryView r) {
        List<RepositoryView.SnapshotRow> recent = r.recent(HISTORY);
        if (recent.isEmpty()) {
            return "";
        }
        long max = Math.max(1, recent.stream().mapToLong(RepositoryView.SnapshotRow::size).max().orElse(1));
        StringBuilder svg = new StringBuilder("<svg class=\"sizes\" width=\"").append(HISTORY * (BAR_WIDTH + 2))
                .append("\" height=\"").append(CHART_HEIGHT).append("\" role=\"img\" aria-label=\"sizes of the last ")
                .append(recent.size()).append(" snapshots\">");
        for (int i = 0; i < recent.size(); i++) {
            RepositoryView.SnapshotRow s = recent.get(i);
            int h = (int) Math.max(1, Math.round((double) s.size() * CHART_HEIGHT / max));
            svg.append("<rect x=\"").append(i * (BAR_WIDTH + 2)).append("\" y=\"").append(CHART_HEIGHT - h).append("\" width=\"")
                    .append(BAR_WIDTH).append("\" height=\"").append(h).append("\"><title>")
                    .append(Html.text(Html.time(s.createdAt()) + ": " + Html.bytes(s.size()))).append("</title></rect>");
        }
        return svg.append("</svg>").toString();
    }
}
