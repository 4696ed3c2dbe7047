package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vaultkeep.storage.store.webdav.MovedObjectCheck.Seen;
import io.vaultkeep.storage.store.webdav.MovedObjectCheck.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MovedObjectCheckTest {

    private static final MovedObjectCheck OURS = new MovedObjectCheck("W/\"5f1c-61a2b3c4d5e6f\"", 24_348);

    @Test
    void theTemporaryFilesStrongEtagInPlaceIsOurs() {
        MovedObjectCheck strong = new MovedObjectCheck("\"5f1c-61a2b3c4d5e6f\"", 24_348);
        assertEquals(Verdict.OURS, strong.judge(Optional.of(new Seen("\"5f1c-61a2b3c4d5e6f\"", 24_348))));
    }

    @Test
    void aWeakEtagInPlaceIsDecidedByTheObjectsStart() {
        // Apache: size and mtime, weak for a file under a second old; two racing writers' files share it often
        assertEquals(Verdict.COMPARE_START, OURS.judge(Optional.of(new Seen("W/\"5f1c-61a2b3c4d5e6f\"", 24_348))));
        // a second later Apache no longer marks the same file's ETag weak; ours was weak when uploaded
        assertEquals(Verdict.COMPARE_START, OURS.judge(Optional.of(new Seen("\"5f1c-61a2b3c4d5e6f\"", 24_348))));
    }

    @Test
    void anotherSizeInPlaceIsAnothersObject() {
        assertEquals(Verdict.ANOTHERS, OURS.judge(Optional.of(new Seen("W/\"5f1c-61a2b3c4d5e6f\"", 24_347))));
    }

    @Test
    void anotherEtagOfTheSameSizeIsDecidedByTheContent() {
        // another writer's file, or ours on a server that gives a moved file a new ETag
        assertEquals(Verdict.COMPARE_CONTENT, OURS.judge(Optional.of(new Seen("\"5f1c-61a2b3c4d5e70\"", 24_348))));
    }

    @Test
    void withoutEtagsOnlyTheContentCanTell() {
        assertEquals(Verdict.COMPARE_CONTENT, OURS.judge(Optional.of(new Seen(null, 24_348))));
        assertEquals(Verdict.COMPARE_CONTENT,
                new MovedObjectCheck(null, 10).judge(Optional.of(new Seen(null, 10))));
        assertEquals(Verdict.COMPARE_CONTENT,
                new MovedObjectCheck("\"\"", 10).judge(Optional.of(new Seen("\"\"", 10))));
    }

    @Test
    void nothingInPlaceMeansOursWasMovedThenDeleted() {
        assertEquals(Verdict.OURS, OURS.judge(Optional.empty()));
    }

    @Test
    void opaqueTagDropsOnlyTheWeaknessMark() {
        assertEquals("\"abc\"", MovedObjectCheck.opaque(" W/\"abc\" "));
        assertEquals("\"abc\"", MovedObjectCheck.opaque("\"abc\""));
        assertNull(MovedObjectCheck.opaque(""));
        assertNull(MovedObjectCheck.opaque("W/"));
        assertNull(MovedObjectCheck.opaque(null));
    }
}
