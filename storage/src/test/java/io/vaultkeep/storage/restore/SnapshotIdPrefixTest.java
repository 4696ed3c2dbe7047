package io.vaultkeep.storage.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vaultkeep.storage.repository.RepositoryException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A snapshot is named by its id or any unique prefix of it, as restic and git take ids. */
class SnapshotIdPrefixTest {

    private static final String A = "20261206042042-435d1f0e-0000-4000-8000-000000000001";
    private static final String B = "20261206042042-9b2c7a11-0000-4000-8000-000000000002";
    private static final String C = "20261207010101-435d1f0e-0000-4000-8000-000000000003";
    private static final List<String> IDS = List.of(A, B, C);

    @Test
    void theWholeIdOrAUniquePrefixNamesOneSnapshot() throws Exception {
        assertEquals(A, SnapshotRestore.uniqueId(IDS, A));
        assertEquals(A, SnapshotRestore.uniqueId(IDS, "20261206042042-435d"));
        assertEquals(B, SnapshotRestore.uniqueId(IDS, "20261206042042-9"));
        assertEquals(C, SnapshotRestore.uniqueId(IDS, "202612070"));
    }

    @Test
    void anAmbiguousPrefixListsItsCandidates() {
        RepositoryException e = assertThrows(RepositoryException.class, () -> SnapshotRestore.uniqueId(IDS, "20261206"));
        assertEquals("snapshot id 20261206 is ambiguous: it begins 2 snapshot ids (" + A + ", " + B + "); give more of the id",
                e.getMessage());
    }

    @Test
    void manyCandidatesAreCutShort() {
        List<String> many = IntStream.range(0, 12).mapToObj(i -> "2026120604204" + (char) ('a' + i) + "-x").toList();
        RepositoryException e = assertThrows(RepositoryException.class, () -> SnapshotRestore.uniqueId(many, "2026"));
        assertEquals("snapshot id 2026 is ambiguous: it begins 12 snapshot ids (" + String.join(", ", many.subList(0, 10))
                + ", …); give more of the id", e.getMessage());
    }

    @Test
    void noMatchOrNothingGivenIsAClearError() {
        assertEquals("no snapshot 2025 in the repository (see `vaultkeep snapshots`)",
                assertThrows(RepositoryException.class, () -> SnapshotRestore.uniqueId(IDS, "2025")).getMessage());
        assertEquals("no snapshot id given (see `vaultkeep snapshots`)",
                assertThrows(RepositoryException.class, () -> SnapshotRestore.uniqueId(IDS, " ")).getMessage());
    }
}
