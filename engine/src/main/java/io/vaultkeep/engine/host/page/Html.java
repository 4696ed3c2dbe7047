package io.vaultkeep.engine.host.page;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What the status pages put between tags: every value escaped (account ids, errors and locations
 * come from configs, servers and exceptions, so a page must never take them for markup), and the
 * times and sizes a person reads.
 */
public final class Html {

    private Html() {}

    /** Text safe in element content and in quoted attribute values; null as a dash. */
    public static String text(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // control characters (but tab and newlines) would only confuse a reader of the page
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The page of one account: its id as one path segment, escaped for an attribute. */
    public static String accountHref(String id) {
        return text("/accounts/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; a future instant as "in 5 min". */
    public static String age(Instant at, Instant now) {
        if (at == null) {
            return "-";
        }
        Duration d = Duration.between(at, now);
        boolean future = d.isNegative();
        long s = Math.abs(d.getSeconds());
        String span;
        if (s < 5) {
            return "just now";
        } else if (s < 120) {
            span = s + " s";
        } else if (s < 2 * 3600) {
            span = s / 60 + " min";
        } else if (s < 2 * 86400) {
            span = s / 3600 + " h";
        } else {
            span = s / 86400 + " d";
        }
        return future ? "in " + span : span + " ago";
    }

    /** An instant to the second, as the command line prints it. */
    public static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** 1023 B, 4.0 KiB, 12.3 MiB, 1.2 GiB. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }
}
