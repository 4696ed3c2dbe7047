package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RepositoryPathsTest {

    @Test
    void blobPathsOfShortIdsFollowKeyguard() {
        assertEquals("blobs/00/00/.zip", RepositoryPaths.blob(""));
        assertEquals("blobs/a/00/a.zip", RepositoryPaths.blob("a"));
        assertEquals("blobs/ab/00/ab.zip", RepositoryPaths.blob("ab"));
        assertEquals("blobs/ab/c/abc.zip", RepositoryPaths.blob("abc"));
        assertEquals("blobs/ab/cd/abcd.zip", RepositoryPaths.blob("abcd"));
        assertEquals("blobs/3f/2a/3f2a9c1e-0000-4000-8000-000000000000.zip",
                RepositoryPaths.blob("3f2a9c1e-0000-4000-8000-000000000000"));
    }

    @Test
    void indexNamesRoundTripAndStrangersAreRejected() {
        String key = RepositoryPaths.index(42, "f00d");
        assertEquals("indexes/00000000000000000042-f00d.zip", key);
        assertEquals(new RepositoryPaths.IndexName(42, "f00d"), RepositoryPaths.parseIndex(key).orElseThrow());
        assertTrue(RepositoryPaths.parseIndex("indexes/42-f00d.zip").isEmpty(), "generation must have 20 digits");
        assertTrue(RepositoryPaths.parseIndex("indexes/00000000000000000042-f00d.json").isEmpty());
        assertTrue(RepositoryPaths.parseIndex("indexes/.kg-tmp-1.tmp").isEmpty());
        assertTrue(RepositoryPaths.parseIndex("indexes/99999999999999999999-x.zip").isEmpty(), "beyond a long: not ours");
    }

    @Test
    void indexGenerationsAreTwentyAsciiDigitsWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            for (String tag : List.of("th-TH-u-nu-thai", "ar-EG", "hi-IN-u-nu-deva", "en-US")) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                assertEquals("indexes/00000000000000000042-f00d.zip", RepositoryPaths.index(42, "f00d"), tag);
            }
        } finally {
            Locale.setDefault(before);
        }
        java.util.Random random = new java.util.Random(17);
        List<Long> generations = new java.util.ArrayList<>(List.of(0L, 1L, 9L, 10L, -1L, -10L, 12345678901234567L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 99_999_999_999_999_999L, -99_999_999_999_999_999L));
        for (int i = 0; i < 200; i++) {
            generations.add(random.nextLong() >> random.nextInt(64));
        }
        for (long generation : generations) {
            assertEquals(String.format(Locale.ROOT, "%020d", generation), RepositoryPaths.generationDigits(generation),
                    "as the formatter pads " + generation);
        }
    }

    @Test
    void snapshotIdsCarryTheirUtcTime() {
        String id = RepositoryPaths.newSnapshotId(Instant.parse("2026-05-28T10:42:11.123Z"));
        assertTrue(id.matches("20260528104211-[0-9a-f-]{36}"), id);
        assertEquals("snapshots/" + id + ".zip", RepositoryPaths.snapshot(id));
    }

    @Test
    void snapshotKeysAreOnePlainNameUnderSnapshots() {
        String id = "20260528104211-3f2a9c1e-0000-4000-8000-000000000000";
        assertTrue(RepositoryPaths.isSnapshotKey("snapshots/" + id + ".zip"));
        assertTrue(RepositoryPaths.isSnapshotKeyOf(id, "snapshots/" + id + ".zip"));
        assertTrue(RepositoryPaths.isSnapshotKey("snapshots/2026-05-28T10:42:11.123Z-abc.zip"), "Keyguard on iOS");
        for (String stranger : List.of("repo.zip", "indexes/00000000000000000001-x.zip", "blobs/zz/cd/precious.db",
                "snapshots/a/b.zip", "snapshots/.zip", "snapshots/.kg-tmp-1.zip", "snapshots/x.db", "snapshots/../repo.zip",
                "snapshots/a\\b.zip", "snapshots/a\nb.zip", "x/snapshots/a.zip")) {
            assertFalse(RepositoryPaths.isSnapshotKey(stranger), stranger);
        }
        assertFalse(RepositoryPaths.isSnapshotKeyOf("other", "snapshots/" + id + ".zip"), "the key must be its id's");
        assertFalse(RepositoryPaths.isSnapshotKeyOf("..", "snapshots/...zip"));
    }

    @Test
    void blobKeysAreConsistentWithTheirIds() {
        String id = "3f2a9c1e-0000-4000-8000-000000000000";
        assertTrue(RepositoryPaths.isBlobKey("blobs/3f/2a/" + id + ".zip"));
        assertTrue(RepositoryPaths.isBlobKeyOf(id, "blobs/3f/2a/" + id + ".zip"));
        assertTrue(RepositoryPaths.isBlobKey("blobs/a/00/a.zip"));
        for (String stranger : List.of("blobs/zz/cd/precious.db", "blobs/zz/cd/precious.zip", "blobs/3f/2a/x/" + id + ".zip",
                "blobs/00/00/.zip", "repo.zip", "snapshots/a.zip", "blobs/ab/cd/abcd.zip/../x.zip")) {
            assertFalse(RepositoryPaths.isBlobKey(stranger), stranger);
        }
        assertFalse(RepositoryPaths.isBlobKeyOf("abcd", "blobs/ab/cd/abce.zip"));
        assertFalse(RepositoryPaths.isBlobKeyOf("ab/cd", RepositoryPaths.blob("ab/cd")));
    }
}
