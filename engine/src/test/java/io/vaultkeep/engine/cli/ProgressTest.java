package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress line: what it says (pure), when it is drawn, and what it counts. */
class ProgressTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path temp;

    @Test
    void aLineWithTotalsSaysDoneRateAndEta() {
        ProgressLine line = new ProgressLine("restore", 3, 10, MIB, 4 * MIB, Duration.ofSeconds(2));
        assertEquals("restore: 3/10 objects, 1.0 MiB/4.0 MiB (25%), 512.0 KiB/s, ETA 0:06", line.render(100));
    }

    @Test
    void unknownTotalsLeaveOutPercentageAndEtaAndAFreshStartHasNoRate() {
        assertEquals("backup: 2 objects, 10.0 MiB, 5.0 MiB/s", new ProgressLine("backup", 2, -1, 10 * MIB, -1, Duration.ofSeconds(2)).render(100));
        assertEquals("check: 0/1 object, 0 B/300 B (0%)", new ProgressLine("check", 0, 1, 0, 300, Duration.ofMillis(100)).render(100));
        assertEquals("check: 0/0 objects, 0 B/0 B, 0 B/s", new ProgressLine("check", 0, 0, 0, 0, Duration.ofSeconds(1)).render(100),
                "nothing to do: no division by zero, no ETA");
    }

    @Test
    void theEtaReadsAsAClockAndTheLineFitsTheTerminal() {
        assertEquals("1:01:01", ProgressLine.clock(Duration.ofSeconds(3661)));
        assertEquals("0:59", ProgressLine.clock(Duration.ofSeconds(59)));
        String line = new ProgressLine("check", 1, 2, MIB, 2 * MIB, Duration.ofSeconds(1)).render(20);
        assertEquals(19, line.length(), "one column short of the width, so the cursor never wraps");
        assertEquals(80, ProgressOptions.width(null));
        assertEquals(132, ProgressOptions.width(" 132 "));
        assertEquals(80, ProgressOptions.width("wide"));
        assertEquals(80, ProgressOptions.width("3"));
    }

    @Test
    void itRedrawsAtMostFiveTimesASecondOverItselfAndFinishClearsIt() {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        Progress progress = new Progress("check", new PrintWriter(err, true), 80, now::get);
        progress.expect(2, 200);
        now.set(Duration.ofMillis(150).toNanos());
        progress.bytes(50);
        assertEquals("", err.toString(), "not yet: the first draw waits for the redraw interval");
        now.set(Duration.ofMillis(250).toNanos());
        progress.bytes(50);
        assertEquals("\rcheck: 0/2 objects, 100 B/200 B (50%)", err.toString());
        now.addAndGet(Duration.ofMillis(100).toNanos());
        progress.objectDone();
        assertEquals("\rcheck: 0/2 objects, 100 B/200 B (50%)", err.toString(), "too soon for another");
        now.set(Duration.ofMillis(1150).toNanos());
        progress.objectDone();
        // the clock starts at the first byte counted, not at the start of the command
        assertTrue(err.toString().endsWith("\rcheck: 2/2 objects, 100 B/200 B (50%), 100 B/s, ETA 0:01"), err.toString());
        progress.finish();
        String cleared = "check: 2/2 objects, 100 B/200 B (50%), 100 B/s, ETA 0:01";
        assertTrue(err.toString().endsWith("\r" + " ".repeat(cleared.length()) + "\r"), err.toString());
    }

    @Test
    void offShowsNothingAndLeavesTheStoreAndSourceAsTheyAre() throws Exception {
        Progress off = Progress.off();
        assertFalse(off.shown());
        off.bytes(10);
        off.objectDone();
        off.finish();
        try (ObjectStore store = FolderStore.open(temp)) {
            assertTrue(ProgressStore.watching(store, off, key -> true) == store);
        }
        FetchedVault source = new FetchedVault(new byte[0], 0, true, List.of(attachment("x", 3)), 0);
        assertTrue(AttachmentProgress.counting(source, off) == source);
    }

    private static FetchedVault.AttachmentSource attachment(String id, int size) {
        return new FetchedVault.AttachmentSource("acct", "item", null, id, id + ".bin", (long) size,
                () -> new ByteArrayInputStream(new byte[size]));
    }

    private static Progress counted(AtomicLong now) {
        return new Progress("x", new PrintWriter(new StringWriter()), 80, now::get);
    }

    @Test
    void anAttachmentReadTwiceCountsOnceToItsFurthestByte() throws Exception {
        AtomicLong now = new AtomicLong();
        Progress progress = counted(now);
        FetchedVault source = AttachmentProgress.counting(
                new FetchedVault(new byte[0], 1, true, List.of(attachment("a", 1000), attachment("b", 24)), 0), progress);
        assertTrue(progress.line().startsWith("x: 0/2 objects, 0 B/1.0 KiB (0%)"), progress.line());
        FetchedVault.AttachmentSource a = source.attachments().get(0);
        try (InputStream in = a.content().open()) {
            in.readNBytes(400);
        }
        assertTrue(progress.line().startsWith("x: 0/2 objects, 400 B/"), progress.line());
        for (int i = 0; i < 2; i++) { // digest, then upload
            try (InputStream in = a.content().open()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        assertTrue(progress.line().startsWith("x: 1/2 objects, 1000 B/1.0 KiB (97%)"), progress.line());
        assertEquals("a", a.attachmentId());
        assertEquals(1000L, a.size(), "the attachment's identity and size stay as they were");
    }

    @Test
    void theStoreCountsEachObjectItIsToldToOnceToItsFurthestByte() throws Exception {
        AtomicLong now = new AtomicLong();
        Progress progress = counted(now);
        try (ObjectStore folder = FolderStore.open(temp)) {
            folder.create("blobs/ab/one.zip", ObjectContent.ofBytes(new byte[300]));
            folder.create("indexes/x.zip", ObjectContent.ofBytes(new byte[7]));
            ObjectStore store = ProgressStore.watching(folder, progress, ProgressStore::snapshotOrBlob);
            ProgressStore.expectEverySnapshotAndBlob(store, progress);
            try (InputStream in = store.read("indexes/x.zip")) {
                in.readAllBytes();
            }
            assertEquals(10, store.readRange("blobs/ab/one.zip", 0, 10).length);
            assertTrue(progress.line().startsWith("x: 0/1 object, 10 B/300 B (3%)"), progress.line());
            for (int i = 0; i < 2; i++) { // verified, then read again: counted once
                try (InputStream in = store.read("blobs/ab/one.zip")) {
                    in.readAllBytes();
                }
            }
        }
        assertTrue(progress.line().startsWith("x: 1/1 object, 300 B/300 B (100%)"), progress.line());
    }
}
