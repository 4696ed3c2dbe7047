package io.vaultkeep.engine.host.page;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The frame every status page shares: one inline style sheet, allowed by its hash in the
 * Content-Security-Policy, which allows nothing else (no script, no image, no frame, no form).
 */
public final class PageLayout {

    /** How often an open page reloads itself. */
    public static final int REFRESH_SECONDS = 30;

    static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d2733;background:#fff}
            h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.4em 0 .4em}
            .meta{color:#5b6573;margin:0 0 1em}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #d8dde3;vertical-align:top}
            th{background:#eef1f4;font-weight:600}
            td.num{text-align:right;white-space:nowrap}
            tr.ok td.state{color:#1c6b2a;font-weight:600}
            tr.failing{background:#f8c9c9}
            tr.failing td{color:#8a1010}
            tr.failing td.state{font-weight:700}
            tr.dropped{color:#8a5a00;background:#fff3d6}
            .error{white-space:pre-wrap;word-break:break-word}
            .banner{padding:.6em .8em;border-radius:4px;margin:0 0 1em}
            .banner.bad{background:#fdeaea;color:#8a1010;border:1px solid #e08a8a}
            .banner.good{background:#dff3e2;color:#1c6b2a;border:1px solid #8cc79a}
            code{background:#eef1f4;padding:0 .25em;border-radius:3px}
            a{color:#1f5aa6}
            svg.sizes rect{fill:#4a7ab5}
            """;

    private static final String CSS_HASH = sha256(CSS);

    /** The page's policy: its own style sheet and nothing else. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + CSS_HASH + "'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private PageLayout() {}

    /**
     * A whole page. {@code title} is escaped here; {@code body} must already be (it is built from
     * {@link Html#text}). {@code refresh}: whether it reloads itself every {@link #REFRESH_SECONDS}.
     */
    static String page(String title, boolean refresh, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + (refresh ? "<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">" : "")
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.text(title) + "</title><style>" + CSS + "</style></head>\n<body>\n"
                + body + "\n</body></html>\n";
    }

    /** The short page for a visitor who has not logged in (or whose link is used up). */
    public static String loginNeeded(String why) {
        return page("VaultKeep: log in", false, "<h1>VaultKeep status</h1>\n<p class=\"banner bad\">" + Html.text(why) + "</p>\n"
                + "<p>To see this page, run <code>vaultkeep status --open</code> as the user the host runs as "
                + "(with <code>--config</code> if it needs one), and open the address it prints in a browser on this machine. "
                + "The address works once, for two minutes.</p>");
    }

    /** A page saying what went wrong, e.g. no such account. */
    public static String problem(String title, String message) {
        return page("VaultKeep: " + title, false, "<h1>" + Html.text(title) + "</h1>\n<p class=\"banner bad\">" + Html.text(message)
                + "</p>\n<p><a href=\"/\">All accounts</a></p>");
    }

    private static String sha256(String css) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
