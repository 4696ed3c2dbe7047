package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyTarget;
import io.vaultkeep.engine.config.NotifySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a notice to each target that takes it, retrying one that fails with exponential backoff
 * up to the configured attempts; a notice given up is logged once, with the last reason. Blocking:
 * it runs on the notifier's own thread, never an account's. The {@link Sleeper} ends the waits
 * early by throwing {@link InterruptedException} when the notifier stops.
 */
public final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    /** How the wait between attempts passes (a test's clock need not sleep). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Makes the sender of a target; an {@link IOException} (e.g. an unreadable CA file) fails each attempt. */
    @FunctionalInterface
    public interface Senders {
        NoticeSender of(NotifyTarget target) throws IOException;
    }

    /** The outcome for one target. */
    public record Outcome(NotifyTarget target, boolean delivered, int attempts, String lastError) {}

    private final NotifySettings settings;
    private final Senders senders;
    private final Sleeper sleeper;
    private final Map<NotifyTarget, NoticeSender> made = new HashMap<>();

    public Deliveries(NotifySettings settings, Senders senders, Sleeper sleeper) {
        this.settings = settings;
        this.senders = senders;
        this.sleeper = sleeper;
    }

    /** The senders the host uses: HTTP, SMTP and commands. */
    public static NoticeSender senderOf(NotifyTarget target) throws IOException {
        if (target instanceof NotifyTarget.Webhook w) {
            return HttpNoticeSender.webhook(w);
        }
        if (target instanceof NotifyTarget.Ping p) {
            return HttpNoticeSender.ping(p);
        }
        if (target instanceof NotifyTarget.Smtp s) {
            return new SmtpNoticeSender(s);
        }
        return new CommandNoticeSender((NotifyTarget.Command) target);
    }

    /**
     * Delivers to every target of the notice, each until delivered or given up.
     *
     * @throws InterruptedException when the host stops meanwhile: the notice is not done (nor its offset)
     */
    public List<Outcome> deliver(Notice notice) throws InterruptedException {
        List<Outcome> outcomes = new java.util.ArrayList<>();
        for (NotifyTarget target : settings.targetsOf(notice.accountId(), notice.event())) {
            outcomes.add(deliver(notice, target));
        }
        return outcomes;
    }

    private Outcome deliver(Notice notice, NotifyTarget target) throws InterruptedException {
        String lastError = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            if (attempt > 1) {
                sleeper.sleep(settings.backoffBefore(attempt - 1));
            }
            try {
                sender(target).send(notice);
                if (attempt > 1) {
                    LOG.info("{}: notice {} delivered to {} at attempt {}", notice.accountId(), notice.event().key(),
                            target.describe(), attempt);
                }
                return new Outcome(target, true, attempt, null);
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.debug("{}: notice {} to {} failed (attempt {} of {}): {}", notice.accountId(), notice.event().key(),
                        target.describe(), attempt, settings.attempts(), lastError);
            }
        }
        LOG.warn("account {}: notice {} ({}) not delivered to {} after {} attempts, given up: {}", notice.accountId(),
                notice.event().key(), notice.id(), target.describe(), settings.attempts(), lastError);
        return new Outcome(target, false, settings.attempts(), lastError);
    }

    private NoticeSender sender(NotifyTarget target) throws IOException {
        NoticeSender sender = made.get(target);
        if (sender == null) {
            sender = senders.of(target);
            made.put(target, sender);
        }
        return sender;
    }
}
