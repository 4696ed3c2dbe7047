package io.vaultkeep.engine.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Which accounts' locations share or nest a repository, from their {@link LocationConfig#identity()}
 * strings (one is a prefix of the other). Sorted, the identities that start with a given one follow it
 * without a gap, so one pass with a stack of the identities still open finds every pair: n log n
 * rather than comparing every pair, which took minutes for a host of 10,000 accounts.
 */
final class OverlappingLocations {

    /** Account {@code later} overlaps account {@code earlier} (indexes into the list given, later &gt; earlier). */
    record Pair(int later, int earlier) {}

    private OverlappingLocations() {
    }

    /**
     * @param identities each account's location identity, null for an account without a location
     * @return every overlapping pair, ordered by {@code later} then {@code earlier}: the order in which
     *     comparing each account with those before it would find them
     */
    static List<Pair> find(List<String> identities) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            if (identities.get(i) != null) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparing((Integer i) -> identities.get(i)).thenComparing(i -> i));
        List<Pair> pairs = new ArrayList<>();
        Deque<Integer> open = new ArrayDeque<>(); // identities that are a prefix of the one at the top, outermost last
        for (int i : order) {
            String mine = identities.get(i);
            while (!open.isEmpty() && !mine.startsWith(identities.get(open.peek()))) {
                open.pop();
            }
            for (int j : open) {
                pairs.add(i > j ? new Pair(i, j) : new Pair(j, i));
            }
            open.push(i);
        }
        pairs.sort(Comparator.comparingInt(Pair::later).thenComparingInt(Pair::earlier));
        return pairs;
    }
}
