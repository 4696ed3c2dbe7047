package io.vaultkeep.engine.registration;

import com.typesafe.config.Config;
import io.vaultkeep.engine.account.LocalOnlyMessage;
import io.vaultkeep.engine.datadir.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ORSetKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * The ids of the accounts registered through any node of the cluster, replicated with Pekko
 * Distributed Data as an ORSet of strings (ids only: settings never leave the node they were made
 * on). An ORSet lets any node add or remove an id, and a registration concurrent with a removal
 * wins, so an account registered again is not lost to an older removal.
 *
 * <p>Writes go to a majority ({@code WriteMajority}): with two nodes both have the change when the
 * update answers, so a node that fails just after its {@code register} has still passed it on; if
 * the majority does not answer in time the change is already in this node's replica and gossip
 * carries it on, so a timeout is logged and nothing is undone. Reads are local (this node's
 * subscription to the set, see {@link RegisteredIdsView}): the set only steers which entities are
 * woken and whether an entity may take settings, and every node acts on a change when it reaches it.
 * Each node also keeps the set on disk (Pekko's durable LMDB store, where {@link
 * io.vaultkeep.engine.EngineConfig#withDurableRegistrations} puts it, private to this user), so a
 * cluster restarted as a whole knows its registered accounts again before anyone registers them.
 */
public final class ReplicatedAccountIds implements AutoCloseable {

    /** What a node does when the view changes: wake an account's entity, or stop it and drop its settings here. */
    public interface Listener {
        void registered(String accountId);

        void removed(String accountId);
    }

    /** The set's key in Distributed Data, and in its durable store. */
    public static final String KEY_ID = "vaultkeep-registered-accounts";
    static final Key<ORSet<String>> KEY = ORSetKey.create(KEY_ID);

    private sealed interface Command extends LocalOnlyMessage {}

    private record Add(String accountId, long seq) implements Command {}

    private record Remove(String accountId, long seq) implements Command {}

    private record Settled(String accountId, long seq, Replicator.UpdateResponse<ORSet<String>> response) implements Command {}

    private record Seen(Replicator.SubscribeResponse<ORSet<String>> response) implements Command {}

    private enum Stop implements Command { INSTANCE }

    private final RegisteredIdsView view = new RegisteredIdsView();
    private final ActorRef<Command> actor;

    private ReplicatedAccountIds(ActorSystem<?> system, Duration writeTimeout, Listener listener) {
        prepareStore(system);
        // the extension starts here, on the caller's thread like sharding's, not on a dispatcher
        // thread racing the other extensions' (and the serializers') initialisation
        DistributedData ddata = DistributedData.get(system);
        this.actor = system.systemActorOf(behavior(ddata.replicator(), ddata.selfUniqueAddress(), view, writeTimeout, listener),
                "vaultkeep-registered-accounts", Props.empty());
    }

    /** Starts this node's replica subscription; one per actor system. */
    public static ReplicatedAccountIds start(ActorSystem<?> system, Duration writeTimeout, Listener listener) {
        return new ReplicatedAccountIds(system, writeTimeout, listener);
    }

    /**
     * Whether Pekko's LMDB store can run in this JVM: lmdbjava reaches into {@code java.nio.Buffer} by
     * reflection and uses {@code sun.nio.ch.DirectBuffer}, which Java 17 refuses (with an error that takes the JVM down) unless it was started
     * with {@value #OPENS}.
     */
    public static boolean durableStoreUsable() {
        Module us = ReplicatedAccountIds.class.getModule();
        Module base = java.nio.Buffer.class.getModule();
        return base.isOpen("java.nio", us) && base.isExported("sun.nio.ch", us);
    }

    /** The JVM options that let the set be kept on disk. */
    public static final String OPENS = "--add-opens java.base/java.nio=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED";

    /** Where the durable store's settings live (EngineConfig#withDurableRegistrations sets them). */
    public static final String DURABLE_SETTINGS = "pekko.cluster.distributed-data.durable";

    /**
     * The store's folder made private as the data-dir is ({@link DataDir#prepare}: 0700, its files 0600),
     * before LMDB creates it with the umask's mode; or, without a store, a warning of what that means.
     */
    private static void prepareStore(ActorSystem<?> system) {
        Config config = system.settings().config();
        if (!config.getStringList(DURABLE_SETTINGS + ".keys").contains(KEY_ID)) {
            system.log().warn("the registered accounts are held in memory only: a cluster restarted as a whole "
                    + "knows none until they are registered again{}", durableStoreUsable() ? ""
                    : " (start the JVM with " + OPENS + " to keep them in the data-dir)");
            return;
        }
        Path folder = Path.of(config.getString(DURABLE_SETTINGS + ".lmdb.dir"));
        try {
            DataDir.prepare(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("the registered accounts' store " + folder + " cannot be prepared: " + e.getMessage(), e);
        }
    }

    public void add(String accountId) {
        actor.tell(new Add(accountId, view.registeredHere(accountId)));
    }

    public void remove(String accountId) {
        actor.tell(new Remove(accountId, view.removedHere(accountId)));
    }

    public boolean contains(String accountId) {
        return view.contains(accountId);
    }

    /** Sorted. */
    public List<String> ids() {
        return view.ids();
    }

    /** Stops this node's subscription; the ids stay registered in the cluster (a node leaving is no removal). */
    @Override
    public void close() {
        actor.tell(Stop.INSTANCE);
    }

    private static Behavior<Command> behavior(ActorRef<Replicator.Command> replicatorRef, SelfUniqueAddress self,
                                              RegisteredIdsView view, Duration writeTimeout, Listener listener) {
        return Behaviors.setup(ctx -> {
            ReplicatorMessageAdapter<Command, ORSet<String>> replicator =
                    new ReplicatorMessageAdapter<>(ctx, replicatorRef, writeTimeout);
            replicator.subscribe(KEY, Seen::new);
            Replicator.WriteConsistency majority = new Replicator.WriteMajority(writeTimeout);
            return Behaviors.receive(Command.class)
                    .onMessage(Add.class, add -> {
                        replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORSet.empty(), majority, replyTo,
                                set -> set.add(self, add.accountId())), response -> new Settled(add.accountId(), add.seq(), response));
                        return Behaviors.same();
                    })
                    .onMessage(Remove.class, remove -> {
                        replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORSet.empty(), majority, replyTo,
                                set -> set.remove(self, remove.accountId())),
                                response -> new Settled(remove.accountId(), remove.seq(), response));
                        return Behaviors.same();
                    })
                    .onMessage(Settled.class, settled -> {
                        // success, or a timeout with the change in this node's replica (gossip carries it on)
                        if (!(settled.response() instanceof Replicator.UpdateSuccess)) {
                            ctx.getLog().info("account {}: the change of registration reached no majority of the nodes "
                                    + "within {} ({}); it spreads as they come back", settled.accountId(), writeTimeout,
                                    settled.response().getClass().getSimpleName());
                        }
                        view.settled(settled.accountId(), settled.seq());
                        return Behaviors.same();
                    })
                    .onMessage(Seen.class, seen -> {
                        if (seen.response() instanceof Replicator.Changed<ORSet<String>> changed) {
                            Set<String> now = changed.get(KEY).getElements();
                            RegisteredIdsView.Change change = view.replicated(now);
                            change.added().forEach(listener::registered);
                            change.removed().forEach(listener::removed);
                        }
                        return Behaviors.same();
                    })
                    .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                    .build();
        });
    }
}
