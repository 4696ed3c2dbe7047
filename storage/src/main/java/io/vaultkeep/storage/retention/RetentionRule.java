package io.vaultkeep.storage.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keyguard's {@code selectRetainedSnapshotIds}: which snapshots a prune keeps, as a pure function
 * of the catalogue, the configured maximum and the time of evaluation.
 *
 * <p>Priority, exactly as Keyguard has it: the newest; then one per weekly bucket (28–31, 21–28,
 * 14–21, 7–14 days); then one per daily bucket (1–2 … 6–7 days); then the newest of the rest, until
 * {@code max} are kept. Nothing older than 31 days survives but the newest.
 */
public final class RetentionRule {

    /** Keyguard caps the maximum here, whatever is configured. */
    public static final int MAX_CAP = 365;
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration ELIGIBLE_AGE = Duration.ofDays(31);

    private record Bucket(Duration from, Duration to, boolean inclusiveEnd) {
        boolean contains(Duration age) {
            return age.compareTo(from) >= 0 && (inclusiveEnd ? age.compareTo(to) <= 0 : age.compareTo(to) < 0);
        }
    }

    private static final List<Bucket> WEEKLY = List.of(
            new Bucket(DAY.multipliedBy(28), DAY.multipliedBy(31), true),
            new Bucket(DAY.multipliedBy(21), DAY.multipliedBy(28), false),
            new Bucket(DAY.multipliedBy(14), DAY.multipliedBy(21), false),
            new Bucket(DAY.multipliedBy(7), DAY.multipliedBy(14), false));

    private static final List<Bucket> DAILY = List.of(
            new Bucket(DAY.multipliedBy(1), DAY.multipliedBy(2), false),
            new Bucket(DAY.multipliedBy(2), DAY.multipliedBy(3), false),
            new Bucket(DAY.multipliedBy(3), DAY.multipliedBy(4), false),
            new Bucket(DAY.multipliedBy(4), DAY.multipliedBy(5), false),
            new Bucket(DAY.multipliedBy(5), DAY.multipliedBy(6), false),
            new Bucket(DAY.multipliedBy(6), DAY.multipliedBy(7), false));

    /** The order snapshots are considered in: newest first, ties broken by id, descending. */
    public static final Comparator<SnapshotAge> NEWEST_FIRST =
            Comparator.comparing(SnapshotAge::createdAt).reversed()
                    .thenComparing(Comparator.comparing(SnapshotAge::id).reversed());

    private RetentionRule() {}

    /**
     * @param max the configured maximum; zero or less means never prune (an empty plan)
     * @return the plan: kept ids (in the order they were chosen) and dropped ids (newest first)
     */
    public static RetentionPlan select(List<SnapshotAge> snapshots, int max, Instant now) {
        if (max <= 0 || snapshots.isEmpty()) {
            return RetentionPlan.keepAll(snapshots);
        }
        int limit = Math.min(max, MAX_CAP);
        List<SnapshotAge> sorted = new ArrayList<>(snapshots);
        sorted.sort(NEWEST_FIRST);
        SnapshotAge newest = sorted.get(0);
        List<SnapshotAge> eligible = sorted.stream()
                .filter(s -> s == newest || age(s, now).compareTo(ELIGIBLE_AGE) <= 0)
                .toList();

        Set<String> kept = new LinkedHashSet<>();
        retain(kept, newest, limit);
        for (Bucket bucket : WEEKLY) {
            retain(kept, firstIn(eligible, bucket, now), limit);
        }
        for (Bucket bucket : DAILY) {
            retain(kept, firstIn(eligible, bucket, now), limit);
        }
        for (SnapshotAge s : eligible) {
            retain(kept, s, limit);
        }
        List<String> dropped = sorted.stream().map(SnapshotAge::id).filter(id -> !kept.contains(id)).toList();
        return new RetentionPlan(List.copyOf(kept), dropped);
    }

    private static void retain(Set<String> kept, SnapshotAge s, int limit) {
        if (s != null && kept.size() < limit) {
            kept.add(s.id());
        }
    }

    private static SnapshotAge firstIn(List<SnapshotAge> eligible, Bucket bucket, Instant now) {
        for (SnapshotAge s : eligible) {
            if (bucket.contains(age(s, now))) {
                return s;
            }
        }
        return null;
    }

    private static Duration age(SnapshotAge s, Instant now) {
        return Duration.between(s.createdAt(), now);
    }
}
