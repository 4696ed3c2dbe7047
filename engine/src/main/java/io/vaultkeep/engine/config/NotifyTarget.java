package io.vaultkeep.engine.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where notices go ({@code notify { webhook | ping | smtp | command { … } }}), each with the events it takes. */
public sealed interface NotifyTarget {

    Set<NotifyEvent> events();

    /** For logs: the kind and where, never a secret (a URL's user info and query are left out). */
    String describe();

    default boolean takes(NotifyEvent event) {
        return events().contains(event);
    }

    /** A JSON POST of the notice to {@code url} (https, or http to loopback). */
    record Webhook(URI url, Optional<Path> caFile, Duration timeout, Set<NotifyEvent> events) implements NotifyTarget {
        public Webhook {
            events = Set.copyOf(events);
        }

        @Override
        public String describe() {
            return "webhook " + shown(url);
        }
    }

    /**
     * healthchecks.io-style pings: {@code url/start} when a run starts, {@code url} on success,
     * {@code url/fail} on a failure (a recovery is told by the success ping).
     */
    record Ping(URI url, Optional<Path> caFile, Duration timeout, Set<NotifyEvent> events) implements NotifyTarget {
        public Ping {
            events = Set.copyOf(events);
        }

        @Override
        public String describe() {
            return "ping " + shown(url);
        }
    }

    /** A mail over SMTP: implicit TLS, STARTTLS, or plain only to a loopback relay. */
    record Smtp(String host, int port, SmtpSecurity security, Optional<String> user, Optional<Secret> password,
                String from, List<String> to, Optional<Path> caFile, Duration timeout, Set<NotifyEvent> events)
            implements NotifyTarget {
        public Smtp {
            to = List.copyOf(to);
            events = Set.copyOf(events);
        }

        @Override
        public String describe() {
            return "smtp " + host + ":" + port;
        }
    }

    enum SmtpSecurity {
        /** TLS from the first byte (usually port 465). */
        TLS,
        /** Plain, then STARTTLS before anything else is said (usually port 587); refused if the server does not offer it. */
        STARTTLS,
        /** No TLS at all: only to a relay on this machine. */
        NONE
    }

    /**
     * A program run with the notice in {@code VAULTKEEP_*} environment variables and as JSON on its
     * standard input, as borgmatic's hooks; killed after {@code timeout}.
     */
    record Command(List<String> run, Duration timeout, Set<NotifyEvent> events) implements NotifyTarget {
        public Command {
            run = List.copyOf(run);
            events = Set.copyOf(events);
        }

        @Override
        public String describe() {
            return "command " + run.get(0);
        }
    }

    /** scheme://host:port only: webhook and ping URLs often carry their token in the path (Slack, healthchecks.io). */
    private static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + "/…";
    }
}
