package io.vaultkeep.engine.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code vaultkeep.notify} and each account's {@code notify} block for {@link HostConfigLoader},
 * reporting mistakes with file and line as it does. A block holds at most one target of each kind
 * ({@code webhook}, {@code ping}, {@code smtp}, {@code command}) and {@code events}, the events its
 * targets take unless a target names its own.
 */
final class NotifyConfigReader {

    private static final Set<NotifyEvent> PING_DEFAULT = EnumSet.of(NotifyEvent.RUN_STARTED, NotifyEvent.SUCCESS,
            NotifyEvent.RUN_FAILED, NotifyEvent.NEEDS_ATTENTION, NotifyEvent.LOCATION_FULL, NotifyEvent.REPOSITORY_DAMAGED);
    private static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_SMTP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String ADDRESS = "[^\\s<>@,;\"]+@[^\\s<>@,;\"]+";

    private final HostConfigLoader loader;
    private final Map<String, List<NotifyTarget>> accountTargets = new HashMap<>();

    NotifyConfigReader(HostConfigLoader loader) {
        this.loader = loader;
    }

    /** An account's {@code notify} block: its targets, added to the host's. */
    void account(String accountId, ConfigSection s) {
        List<NotifyTarget> targets = targets(s);
        s.finish();
        accountTargets.put(accountId, targets);
    }

    /** The host's {@code notify} block (absent: {@code s} empty), with the accounts' read before. */
    NotifySettings host(Optional<ConfigSection> block) {
        if (block.isEmpty()) {
            return new NotifySettings(List.of(), accountTargets, NotifySettings.DEFAULT_ATTEMPTS,
                    NotifySettings.DEFAULT_BACKOFF, NotifySettings.DEFAULT_MAX_BACKOFF, NotifySettings.DEFAULT_ATTENTION_AFTER);
        }
        ConfigSection s = block.get();
        List<NotifyTarget> targets = targets(s);
        int attempts = s.integer("attempts", NotifySettings.DEFAULT_ATTEMPTS, 1, 100);
        Duration backoff = s.duration("backoff", NotifySettings.DEFAULT_BACKOFF, Duration.ofMillis(10), null);
        Duration maxBackoff = s.duration("max-backoff", backoff.compareTo(NotifySettings.DEFAULT_MAX_BACKOFF) > 0 ? backoff
                : NotifySettings.DEFAULT_MAX_BACKOFF, backoff, "backoff");
        int attentionAfter = s.integer("attention-after", NotifySettings.DEFAULT_ATTENTION_AFTER, 1, 1000);
        s.finish();
        return new NotifySettings(targets, accountTargets, attempts, backoff, maxBackoff, attentionAfter);
    }

    private List<NotifyTarget> targets(ConfigSection s) {
        Set<NotifyEvent> events = events(s, NotifyEvent.DEFAULT);
        List<NotifyTarget> targets = new ArrayList<>();
        s.section("webhook").flatMap(w -> webhook(w, events)).ifPresent(targets::add);
        s.section("ping").flatMap(p -> ping(p, s.has("events") ? events : PING_DEFAULT)).ifPresent(targets::add);
        s.section("smtp").flatMap(m -> smtp(m, events)).ifPresent(targets::add);
        s.section("command").flatMap(c -> command(c, events)).ifPresent(targets::add);
        return targets;
    }

    /** {@code events = [run-failed, success, …]}: names checked, the default when absent. */
    private static Set<NotifyEvent> events(ConfigSection s, Set<NotifyEvent> defaults) {
        Optional<ConfigList> list = s.list("events");
        if (list.isEmpty()) {
            return defaults;
        }
        Set<NotifyEvent> events = EnumSet.noneOf(NotifyEvent.class);
        String known = java.util.Arrays.stream(NotifyEvent.values()).map(NotifyEvent::key).collect(Collectors.joining(", "));
        for (ConfigValue v : list.get()) {
            Optional<NotifyEvent> event = v.valueType() == ConfigValueType.STRING
                    ? NotifyEvent.named((String) v.unwrapped()) : Optional.empty();
            if (event.isEmpty()) {
                s.problem("events", ConfigSection.describe(v) + " is not an event: give some of " + known);
            } else {
                event.ifPresent(events::add);
            }
        }
        if (list.get().isEmpty()) {
            s.problem("events", "is empty: give some of " + known + ", or leave the target out");
        }
        return events;
    }

    /** The parts of an HTTP target: its URL, CA file, timeout and events. */
    @FunctionalInterface
    private interface HttpTarget {
        NotifyTarget of(URI url, Optional<Path> caFile, Duration timeout, Set<NotifyEvent> events);
    }

    private Optional<NotifyTarget> webhook(ConfigSection s, Set<NotifyEvent> inherited) {
        return http(s, inherited, "the URL to POST notices to, e.g. url = \"https://hooks.example.org/vaultkeep\"",
                NotifyTarget.Webhook::new);
    }

    private Optional<NotifyTarget> ping(ConfigSection s, Set<NotifyEvent> inherited) {
        return http(s, inherited, "the check's ping URL, e.g. url = \"https://hc-ping.com/<uuid>\"", NotifyTarget.Ping::new);
    }

    private Optional<NotifyTarget> http(ConfigSection s, Set<NotifyEvent> inherited, String what, HttpTarget target) {
        Optional<URI> url = url(s, what);
        Optional<Path> caFile = loader.caFile(s, url);
        Duration timeout = s.duration("timeout", DEFAULT_HTTP_TIMEOUT, Duration.ofMillis(100), null);
        Set<NotifyEvent> events = events(s, inherited);
        s.finish();
        return url.map(u -> target.of(u, caFile, timeout, events));
    }

    /** https, or http to this machine only; no credentials, query or fragment. */
    private static Optional<URI> url(ConfigSection s, String what) {
        return s.requiredString("url", what).flatMap(raw -> {
            try {
                return Optional.of(SourceConfig.Bitwarden.checkedServer(raw));
            } catch (IllegalArgumentException e) {
                s.problem("url", e.getMessage());
                return Optional.empty();
            }
        });
    }

    private Optional<NotifyTarget> smtp(ConfigSection s, Set<NotifyEvent> inherited) {
        Optional<String> host = s.requiredString("host", "the mail server, e.g. host = \"smtp.example.org\"");
        NotifyTarget.SmtpSecurity security = s.string("security").map(name -> switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "starttls" -> NotifyTarget.SmtpSecurity.STARTTLS;
            case "tls" -> NotifyTarget.SmtpSecurity.TLS;
            case "none" -> NotifyTarget.SmtpSecurity.NONE;
            default -> {
                s.problem("security", "must be starttls, tls or none, not " + name);
                yield null;
            }
        }).orElse(NotifyTarget.SmtpSecurity.STARTTLS);
        int defaultPort = security == NotifyTarget.SmtpSecurity.TLS ? 465 : security == NotifyTarget.SmtpSecurity.NONE ? 25 : 587;
        int port = s.integer("port", defaultPort, 1, 65535);
        if (security == NotifyTarget.SmtpSecurity.NONE && host.isPresent() && !loopback(host.get())) {
            s.problem("security", "none sends mail unencrypted: only to a relay on this machine (localhost, 127.0.0.1, ::1), "
                    + "not " + host.get() + "; use starttls or tls");
        }
        Optional<String> user = s.string("user");
        if (user.isPresent() && user.get().isBlank()) {
            s.problem("user", "must not be empty");
            user = Optional.empty();
        }
        Optional<Secret> password = loader.secret(s, "password");
        if (user.isPresent() && password.isEmpty() && !s.has("password-env") && !s.has("password-file")) {
            s.missing("password-env", "a user logs in with a password: password-env (or password-file)");
        }
        if (password.isPresent() && user.isEmpty() && !s.has("user")) {
            s.problem(s.has("password-file") ? "password-file" : "password-env", "needs a user: give user = \"…\" too");
        }
        if (user.isPresent() && security == NotifyTarget.SmtpSecurity.NONE) {
            s.problem("user", "a password is never sent unencrypted: use security = starttls or tls");
        }
        Optional<String> from = s.requiredString("from", "the sender's address, e.g. from = \"vaultkeep@example.org\"")
                .filter(address -> checkAddress(s, "from", address));
        List<String> to = addresses(s);
        Optional<Path> caFile = s.has("ca-file") ? loader.caFile(s, Optional.empty()) : Optional.empty();
        if (caFile.isPresent() && security == NotifyTarget.SmtpSecurity.NONE) {
            s.problem("ca-file", "applies to security = starttls or tls only");
        }
        Duration timeout = s.duration("timeout", DEFAULT_SMTP_TIMEOUT, Duration.ofMillis(100), null);
        Set<NotifyEvent> events = events(s, inherited);
        s.finish();
        if (host.isEmpty() || security == null || from.isEmpty() || to.isEmpty()
                || (user.isPresent() && password.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new NotifyTarget.Smtp(host.get().trim(), port, security, user, password, from.get().trim(), to,
                caFile, timeout, events));
    }

    private static boolean loopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    private static List<String> addresses(ConfigSection s) {
        if (!s.has("to")) {
            s.missing("to", "the recipients, e.g. to = [\"ops@example.org\"]");
            return List.of();
        }
        Optional<ConfigList> list = s.list("to");
        List<String> to = new ArrayList<>();
        list.ifPresent(l -> {
            for (ConfigValue v : l) {
                if (v.valueType() != ConfigValueType.STRING) {
                    s.problem("to", "expected mail addresses, got " + ConfigSection.describe(v));
                } else if (checkAddress(s, "to", (String) v.unwrapped())) {
                    to.add(((String) v.unwrapped()).trim());
                }
            }
            if (l.isEmpty()) {
                s.problem("to", "is empty: give at least one recipient");
            }
        });
        return to.size() == list.map(ConfigList::size).orElse(-1) ? to : List.of();
    }

    private static boolean checkAddress(ConfigSection s, String key, String address) {
        if (!address.trim().matches(ADDRESS)) {
            s.problem(key, "'" + address.replaceAll("[\\r\\n]", " ") + "' is not a mail address such as ops@example.org");
            return false;
        }
        return true;
    }

    private static Optional<NotifyTarget> command(ConfigSection s, Set<NotifyEvent> inherited) {
        List<String> run = new ArrayList<>();
        boolean valid = true;
        if (!s.has("run")) {
            s.missing("run", "the program and its arguments, e.g. run = [\"/usr/local/bin/notify-ops\", \"--quiet\"]");
            valid = false;
        } else {
            Optional<ConfigList> list = s.list("run");
            valid = list.isPresent() && !list.get().isEmpty();
            if (list.isPresent() && list.get().isEmpty()) {
                s.problem("run", "is empty: give the program and its arguments");
            }
            for (ConfigValue v : list.map(l -> (List<ConfigValue>) l).orElse(List.of())) {
                if (v.valueType() != ConfigValueType.STRING || ((String) v.unwrapped()).isEmpty()) {
                    s.problem("run", "expected the program and its arguments as strings, got " + ConfigSection.describe(v));
                    valid = false;
                } else {
                    run.add((String) v.unwrapped());
                }
            }
        }
        Duration timeout = s.duration("timeout", DEFAULT_COMMAND_TIMEOUT, Duration.ofMillis(100), null);
        Set<NotifyEvent> events = events(s, inherited);
        s.finish();
        return valid ? Optional.of(new NotifyTarget.Command(run, timeout, events)) : Optional.empty();
    }
}
