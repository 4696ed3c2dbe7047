package io.vaultkeep.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OverlappingLocationsTest {

    /** What the loader did before: every account against each one before it. */
    private static List<OverlappingLocations.Pair> everyPair(List<String> ids) {
        List<OverlappingLocations.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < i; j++) {
                String a = ids.get(i);
                String b = ids.get(j);
                if (a != null && b != null && (a.startsWith(b) || b.startsWith(a))) {
                    pairs.add(new OverlappingLocations.Pair(i, j));
                }
            }
        }
        return pairs;
    }

    @Test
    void sameAndNestedLocationsAreFoundInTheOrderOfTheConfig() {
        List<String> ids = Arrays.asList("/b/x/", "/a/", "/b/", null, "/a/", "/ab/", "/b/x/y/", "/c/");
        assertEquals(List.of(new OverlappingLocations.Pair(2, 0), new OverlappingLocations.Pair(4, 1),
                new OverlappingLocations.Pair(6, 0), new OverlappingLocations.Pair(6, 2)), OverlappingLocations.find(ids));
    }

    @Test
    void findsWhatComparingEveryPairFinds() {
        Random random = new Random(14);
        String[] parts = {"a", "b", "ab", "a-b"};
        for (int round = 0; round < 200; round++) {
            List<String> ids = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(8) == 0) {
                    ids.add(null);
                    continue;
                }
                StringBuilder id = new StringBuilder("/");
                for (int depth = random.nextInt(3); depth >= 0; depth--) {
                    id.append(parts[random.nextInt(parts.length)]).append('/');
                }
                ids.add(id.toString());
            }
            assertEquals(everyPair(ids), OverlappingLocations.find(ids), ids.toString());
        }
    }

    @Test
    void tenThousandDistinctLocationsHaveNoPairs() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add("/backups/acct" + i + "/");
        }
        assertTrue(OverlappingLocations.find(ids).isEmpty());
    }
}
