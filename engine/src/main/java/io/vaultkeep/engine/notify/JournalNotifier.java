package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifySettings;
import io.vaultkeep.engine.account.AccountBackup;
import io.vaultkeep.engine.account.AccountEvent;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications from the journal, not from the accounts' in-memory notices: it reads the
 * events tagged {@link AccountBackup#NOTIFY_TAG} after its stored offset, decides with
 * {@link NotifyRule}, delivers with {@link Deliveries} and only then stores the event's offset.
 * So an event journaled just before a crash is delivered after the restart (at least once), and
 * accounts never wait for a receiver: they only write the journal; this reads it, one event at a
 * time, on a thread of its own (retries sleep there, not on a dispatcher backups use). When reading
 * or storing fails, the stream starts again from the stored offset, with backoff.
 *
 * <p>Stopping never interrupts that thread: an interrupt during H2's file I/O closes the whole
 * database, the accounts' journal with it. A retry's wait ends on the stop signal instead, and a
 * send in progress ends by its timeout.
 */
public final class JournalNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalNotifier.class);

    private final NotifyOffsets offsets;
    private final NotifyRule rule;
    private final Deliveries deliveries;
    private final ExecutorService thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Map<String, NotifyState> states = new ConcurrentHashMap<>();
    private final AtomicReference<UniqueKillSwitch> kill = new AtomicReference<>();
    private volatile long done;

    private JournalNotifier(NotifySettings settings, NotifyOffsets offsets, Deliveries.Senders senders) {
        this.offsets = offsets;
        this.rule = new NotifyRule(settings.attentionAfter());
        this.deliveries = new Deliveries(settings, senders, wait -> {
            if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new InterruptedException("the notifier stops");
            }
        });
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "vaultkeep-notify");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The host's notifier on the journal database its actor system uses; none when nothing is to be
     * notified (then no offset is kept either: notices from that time are not sent later).
     */
    public static java.util.Optional<JournalNotifier> startIfAny(ActorSystem<?> system, NotifySettings settings)
            throws SQLException {
        if (!settings.any()) {
            return java.util.Optional.empty();
        }
        com.typesafe.config.Config db = system.settings().config().getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
        NotifyOffsets offsets = NotifyOffsets.open(db.getString("url"), db.hasPath("user") ? db.getString("user") : null,
                db.hasPath("password") ? db.getString("password") : null);
        try {
            return java.util.Optional.of(start(system, settings, offsets, Deliveries::senderOf));
        } catch (SQLException | RuntimeException e) {
            offsets.close();
            throw e;
        }
    }

    /**
     * Starts reading the journal of {@code system} (pekko-persistence-jdbc) where the last run left off.
     *
     * @param offsets closed with the notifier
     */
    public static JournalNotifier start(ActorSystem<?> system, NotifySettings settings, NotifyOffsets offsets,
                                        Deliveries.Senders senders) throws SQLException {
        JournalNotifier notifier = new JournalNotifier(settings, offsets, senders);
        notifier.done = offsets.offset();
        notifier.states.putAll(offsets.states());
        JdbcReadJournal journal = PersistenceQuery.get(Adapter.toClassic(system))
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        RestartSettings restart = RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2);
        Source<Done, NotUsed> handled = RestartSource.withBackoff(restart, () -> {
            // from what is stored, not from memory: a failed commit means its event is not done
            long from = offsets.offset();
            notifier.states.clear();
            notifier.states.putAll(offsets.states());
            return journal.eventsByTag(AccountBackup.NOTIFY_TAG, new Sequence(from))
                    .mapAsync(1, envelope -> notifier.stopping.getCount() == 0
                            ? CompletableFuture.completedFuture(Done.getInstance()) // stopping: not done, not stored
                            : CompletableFuture.supplyAsync(() -> notifier.handle(envelope), notifier.thread));
        });
        UniqueKillSwitch killSwitch = handled.viaMat(KillSwitches.single(), Keep.right()).to(Sink.ignore()).run(system);
        notifier.kill.set(killSwitch);
        LOG.info("notifications: reading the journal after event {}", notifier.done);
        return notifier;
    }

    private Done handle(EventEnvelope envelope) {
        long ordering = ((Sequence) envelope.offset()).value();
        if (!(envelope.event() instanceof AccountEvent event)) {
            return Done.getInstance();
        }
        String accountId = accountOf(envelope.persistenceId());
        NotifyState before = states.getOrDefault(accountId, NotifyState.FRESH);
        NotifyRule.Decision decision = rule.decide(accountId, envelope.persistenceId() + "#" + envelope.sequenceNr(), before, event);
        try {
            for (Notice notice : decision.notices()) {
                deliveries.deliver(notice);
            }
            if (stopping.getCount() == 0) {
                throw new InterruptedException("the notifier stops");
            }
            offsets.commit(ordering, accountId, decision.state());
        } catch (InterruptedException e) {
            throw new IllegalStateException("stopped before the notices of event " + ordering + " were done");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the notifier's offset: " + e.getMessage(), e);
        }
        states.put(accountId, decision.state());
        done = ordering;
        return Done.getInstance();
    }

    /** {@code account|alice} → {@code alice} (the entity type and id, as sharding makes persistence ids). */
    static String accountOf(String persistenceId) {
        int bar = persistenceId.indexOf('|');
        return bar < 0 ? persistenceId : persistenceId.substring(bar + 1);
    }

    /** The journal ordering of the last event whose notices are done. */
    public long doneUpTo() {
        return done;
    }

    @Override
    public void close() {
        UniqueKillSwitch killSwitch = kill.getAndSet(null);
        if (killSwitch != null) {
            killSwitch.shutdown();
        }
        stopping.countDown(); // a retry's wait ends; its event stays undone and comes again at the next start
        thread.shutdown(); // never shutdownNow: see the class comment
        try {
            if (!thread.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("notifications: a delivery still runs past its stop; its notice comes again at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            offsets.close();
        } catch (SQLException e) {
            LOG.debug("closing the notifier's database connection: {}", e.getMessage());
        }
    }
}
