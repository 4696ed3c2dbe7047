package io.vaultkeep.engine.registration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node's view of the accounts registered in the cluster (pure, thread-safe): the replicated set
 * as last heard from the replicator, with this node's own registrations and removals applied at once
 * and kept until the replicator has taken them (so {@code register} then {@code accountIds} on one
 * node agree, and a notice that predates a registration made here does not undo it).
 */
public final class RegisteredIdsView {

    /** What changed in the view: accounts registered or removed through some node. */
    public record Change(List<String> added, List<String> removed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    private record Pending(boolean registered, long seq) {}

    private Set<String> lastReplicated = Set.of();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Set<String> view = new TreeSet<>();
    private long seq;

    /** @return this change's number, for {@link #settled} */
    public synchronized long registeredHere(String accountId) {
        view.add(accountId);
        pending.put(accountId, new Pending(true, ++seq));
        return seq;
    }

    /** @return this change's number, for {@link #settled} */
    public synchronized long removedHere(String accountId) {
        view.remove(accountId);
        pending.put(accountId, new Pending(false, ++seq));
        return seq;
    }

    /**
     * The replicator has applied change {@code number} to its replica (it answered the update), so
     * the sets it sends from now on include it. A later change of the same account stays pending.
     */
    public synchronized void settled(String accountId, long number) {
        Pending p = pending.get(accountId);
        if (p != null && p.seq() == number) {
            pending.remove(accountId);
        }
    }

    /** Takes the set the replicator holds now; returns how the view changed. */
    public synchronized Change replicated(Set<String> now) {
        lastReplicated = Set.copyOf(now);
        Set<String> next = new TreeSet<>(lastReplicated);
        pending.forEach((id, p) -> {
            if (p.registered()) {
                next.add(id);
            } else {
                next.remove(id);
            }
        });
        Set<String> added = new TreeSet<>(next);
        added.removeAll(view);
        Set<String> removed = new TreeSet<>(view);
        removed.removeAll(next);
        view.clear();
        view.addAll(next);
        return new Change(List.copyOf(added), List.copyOf(removed));
    }

    public synchronized boolean contains(String accountId) {
        return view.contains(accountId);
    }

    /** Sorted. */
    public synchronized List<String> ids() {
        return List.copyOf(view);
    }
}
