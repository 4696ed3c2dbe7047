package io.vaultkeep.storage.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetentionRuleTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static SnapshotAge aged(String id, Duration age) {
        return new SnapshotAge(id, NOW.minus(age));
    }

    @Test
    void keyguardsOwnExampleKeepsTheNewestAndOnePerWeek() {
        // one snapshot a day for 40 days: max 5 keeps the newest and those 8, 15, 22 and 29 days old
        List<SnapshotAge> daily = new ArrayList<>();
        for (int day = 0; day < 40; day++) {
            daily.add(aged("d" + day, Duration.ofDays(day).plusMinutes(1)));
        }
        RetentionPlan plan = RetentionRule.select(daily, 5, NOW);
        assertEquals(List.of("d0", "d28", "d21", "d14", "d7"), plan.kept(),
                "ages in days: 0, 28, 21, 14, 7 (each bucket's newest)");
        assertEquals(35, plan.dropped().size());
    }

    @Test
    void keyguardsExampleWithSnapshotsAtEightFifteenTwentyTwoTwentyNineDays() {
        List<SnapshotAge> snapshots = List.of(
                aged("new", Duration.ofHours(1)), aged("h5", Duration.ofHours(5)), aged("d1", Duration.ofDays(1).plusHours(2)),
                aged("d3", Duration.ofDays(3)), aged("d8", Duration.ofDays(8)), aged("d15", Duration.ofDays(15)),
                aged("d22", Duration.ofDays(22)), aged("d29", Duration.ofDays(29)));
        RetentionPlan plan = RetentionRule.select(snapshots, 5, NOW);
        assertEquals(Set.of("new", "d8", "d15", "d22", "d29"), Set.copyOf(plan.kept()));
        assertEquals(Set.of("h5", "d1", "d3"), Set.copyOf(plan.dropped()), "recency loses to the weekly buckets");
    }

    @Test
    void maxZeroOrLessNeverPrunes() {
        List<SnapshotAge> snapshots = List.of(aged("a", Duration.ofDays(100)), aged("b", Duration.ofDays(1)));
        assertTrue(RetentionRule.select(snapshots, 0, NOW).dropped().isEmpty());
        assertTrue(RetentionRule.select(snapshots, -3, NOW).dropped().isEmpty());
    }

    @Test
    void theFirstWeeklyBucketIncludesBothEnds() {
        List<SnapshotAge> snapshots = List.of(aged("new", Duration.ZERO), aged("exactly31", Duration.ofDays(31)),
                aged("over31", Duration.ofDays(31).plusMillis(1)));
        RetentionPlan plan = RetentionRule.select(snapshots, 10, NOW);
        assertEquals(List.of("new", "exactly31"), plan.kept());
        assertEquals(List.of("over31"), plan.dropped());
    }

    @Test
    void theMaximumIsCappedAt365() {
        List<SnapshotAge> snapshots = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            snapshots.add(aged(String.format("s%03d", i), Duration.ofMinutes(i)));
        }
        assertEquals(365, RetentionRule.select(snapshots, 1000, NOW).kept().size());
    }

    @Test
    void tiesInTimeAreBrokenByIdDescending() {
        List<SnapshotAge> snapshots = List.of(aged("a", Duration.ofHours(1)), aged("c", Duration.ofHours(1)), aged("b", Duration.ofHours(1)));
        assertEquals(List.of("c"), RetentionRule.select(snapshots, 1, NOW).kept());
    }

    // ---- properties

    @Provide
    Arbitrary<List<SnapshotAge>> catalogues() {
        Arbitrary<Long> ageMinutes = Arbitraries.longs().between(0, 60L * 24 * 60); // up to 60 days
        return ageMinutes.list().ofMaxSize(120).map(ages -> {
            List<SnapshotAge> list = new ArrayList<>();
            for (int i = 0; i < ages.size(); i++) {
                list.add(aged("id-" + i, Duration.ofMinutes(ages.get(i))));
            }
            return list;
        });
    }

    @Property
    void neverKeepsMoreThanMax(@ForAll("catalogues") List<SnapshotAge> snapshots, @ForAll @IntRange(min = 1, max = 400) int max) {
        RetentionPlan plan = RetentionRule.select(snapshots, max, NOW);
        assertTrue(plan.kept().size() <= Math.min(max, 365));
        assertEquals(snapshots.size(), plan.kept().size() + plan.dropped().size(), "every snapshot is kept or dropped");
        Set<String> both = new HashSet<>(plan.kept());
        both.retainAll(plan.dropped());
        assertTrue(both.isEmpty(), "nothing is both kept and dropped");
    }

    @Property
    void theNewestIsAlwaysKept(@ForAll("catalogues") List<SnapshotAge> snapshots, @ForAll @IntRange(min = 1, max = 90) int max) {
        if (snapshots.isEmpty()) {
            return;
        }
        SnapshotAge newest = Collections.min(snapshots, RetentionRule.NEWEST_FIRST);
        assertTrue(RetentionRule.select(snapshots, max, NOW).kept().contains(newest.id()));
    }

    @Property
    void nothingOlderThan31DaysSurvivesButTheNewest(@ForAll("catalogues") List<SnapshotAge> snapshots,
                                                    @ForAll @IntRange(min = 1, max = 400) int max) {
        RetentionPlan plan = RetentionRule.select(snapshots, max, NOW);
        Map<String, SnapshotAge> byId = snapshots.stream().collect(Collectors.toMap(SnapshotAge::id, s -> s));
        String newest = snapshots.isEmpty() ? null : Collections.min(snapshots, RetentionRule.NEWEST_FIRST).id();
        for (String id : plan.kept()) {
            Duration age = Duration.between(byId.get(id).createdAt(), NOW);
            assertTrue(id.equals(newest) || age.compareTo(Duration.ofDays(31)) <= 0, id + " is " + age + " old");
        }
    }

    @Property
    void deterministicWhateverTheInputOrder(@ForAll("catalogues") List<SnapshotAge> snapshots, @ForAll @IntRange(min = 1, max = 60) int max,
                                            @ForAll java.util.Random random) {
        List<SnapshotAge> shuffled = new ArrayList<>(snapshots);
        Collections.shuffle(shuffled, random);
        assertEquals(RetentionRule.select(snapshots, max, NOW), RetentionRule.select(shuffled, max, NOW));
    }

    @Property
    void keepsEverythingWhenThereIsRoomAndAllAreRecent(@ForAll("recent") List<SnapshotAge> snapshots) {
        RetentionPlan plan = RetentionRule.select(snapshots, 365, NOW);
        assertEquals(snapshots.size(), plan.kept().size());
    }

    @Provide
    Arbitrary<List<SnapshotAge>> recent() {
        return Combinators.combine(Arbitraries.longs().between(0, 31L * 24 * 60).list().ofMaxSize(50), Arbitraries.just(0))
                .as((ages, unused) -> {
                    List<SnapshotAge> list = new ArrayList<>();
                    for (int i = 0; i < ages.size(); i++) {
                        list.add(aged("r" + i, Duration.ofMinutes(ages.get(i))));
                    }
                    return list;
                });
    }
}
