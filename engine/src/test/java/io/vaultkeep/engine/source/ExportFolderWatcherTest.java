package io.vaultkeep.engine.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.source.ExportFolderWatcher.Timing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher on a real temp folder with short intervals. Waits are polls with a timeout; the only
 * fixed waits are the short "nothing more comes" checks, a few settle times long.
 */
class ExportFolderWatcherTest {

    private static final Duration SETTLE = Duration.ofMillis(100);
    private static final Duration RESCAN = Duration.ofMillis(300);
    private static final Timing FAST = new Timing(SETTLE, RESCAN);
    /** Long enough for any report that is coming: a rescan plus two settle times, with room for a busy machine. */
    private static final long QUIET_MILLIS = 800;
    private static final long TIMEOUT_SECONDS = 10;

    @TempDir
    Path folder;

    private ScheduledExecutorService scheduler;
    private final List<ExportFolderWatcher> watchers = new ArrayList<>();

    record Report(Path export, long stamp, long atNanos) {}

    /** Records what the watcher says. */
    static final class Recorder implements ExportFolderWatcher.Listener {
        final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
        final BlockingQueue<Exception> problems = new LinkedBlockingQueue<>();

        @Override
        public void exportChanged(Path newestExport, long changeStamp) {
            reports.add(new Report(newestExport, changeStamp, System.nanoTime()));
        }

        @Override
        public void watchFailed(Exception problem) {
            problems.add(problem);
        }

        Report next() throws InterruptedException {
            Report r = reports.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(r, "a report within " + TIMEOUT_SECONDS + " s");
            return r;
        }

        void assertNoMoreReports() throws InterruptedException {
            Report r = reports.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
            assertNull(r, () -> "no further report, got " + r);
        }

        Exception nextProblem() throws InterruptedException {
            Exception e = problems.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(e, "a problem report within " + TIMEOUT_SECONDS + " s");
            return e;
        }
    }

    private final Recorder recorder = new Recorder();

    @BeforeEach
    void scheduler() {
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void shutdown() throws InterruptedException {
        watchers.forEach(ExportFolderWatcher::stop);
        scheduler.shutdownNow();
        assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
    }

    private ExportFolderWatcher start(Timing timing, boolean useWatchService, ExportFolderWatcher.Listener listener) {
        ExportFolderWatcher watcher = new ExportFolderWatcher(folder, timing, SourceScheduling.onExecutor(scheduler), listener, useWatchService);
        watchers.add(watcher);
        watcher.start();
        return watcher;
    }

    private ExportFolderWatcher start() {
        return start(FAST, true, recorder);
    }

    /**
     * Puts a file in place in one step (written under a hidden name, then renamed), so a test that
     * stalls mid-write cannot make the watcher see, and rightly report, a half-made file.
     */
    private Path write(Path file, String content) throws IOException {
        return writeModifiedAt(file, content, null);
    }

    /** As {@link #write}, with a modification time set before the file appears, so "newer" does not depend on the clock. */
    private Path writeModifiedAt(Path file, String content, Integer secondsAfter2025) throws IOException {
        Files.createDirectories(file.getParent());
        // a hidden name in the test's folder: the watcher ignores it, and a rename there is atomic
        Path staged = Files.writeString(folder.resolve(".staged-" + file.getFileName()), content);
        if (secondsAfter2025 != null) {
            Files.setLastModifiedTime(staged, FileTime.from(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(secondsAfter2025)));
        }
        return Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aFileAppearingIsReportedOnceItIsStable() throws Exception {
        start();
        recorder.assertNoMoreReports(); // an empty folder has nothing to back up
        Path export = write(folder.resolve("bitwarden_export_20250101.json"), "{\"items\": []}");
        long written = System.nanoTime();
        Report report = recorder.next();
        assertEquals(export, report.export());
        assertTrue(report.atNanos() - written >= SETTLE.toNanos(), "reported only after the settle time");
        recorder.assertNoMoreReports();
        assertTrue(recorder.problems.isEmpty(), recorder.problems.toString());
    }

    @Test
    void aFileStillBeingWrittenIsNotReportedUntilItStopsChanging() throws Exception {
        Duration settle = Duration.ofMillis(600);
        start(new Timing(settle, RESCAN), true, recorder);
        Path export = folder.resolve("export.json");
        long lastWrite = 0;
        try (OutputStream out = Files.newOutputStream(export, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < 25; i++) {
                out.write(("{\"chunk\": " + i + "}\n").getBytes());
                out.flush();
                lastWrite = System.nanoTime();
                Thread.sleep(20);
            }
        }
        long finalSize = Files.size(export);
        Report report = recorder.next();
        assertEquals(export, report.export());
        assertTrue(report.atNanos() - lastWrite >= settle.toNanos(),
                "reported " + (report.atNanos() - lastWrite) / 1_000_000 + " ms after the last write, settle is " + settle.toMillis());
        assertEquals(finalSize, Files.size(export));
        recorder.assertNoMoreReports(); // the growing file was not reported along the way
    }

    @Test
    void aNewerExportIsReportedAndAnOlderOneIsNot() throws Exception {
        Path first = writeModifiedAt(folder.resolve("bitwarden_export_1.json"), "{\"v\": 1}", 100);
        start();
        Report one = recorder.next();
        assertEquals(first, one.export());

        Path second = writeModifiedAt(folder.resolve("bitwarden_export_2.csv"), "folder,favorite,type,name\n", 200);
        Report two = recorder.next();
        assertEquals(second, two.export());
        assertNotEquals(one.stamp(), two.stamp());

        writeModifiedAt(folder.resolve("bitwarden_export_0.json"), "{\"v\": 0}", 50);
        recorder.assertNoMoreReports();
    }

    @Test
    void sameModificationTimeIsBrokenByTheName() throws Exception {
        writeModifiedAt(folder.resolve("a.json"), "{}", 100);
        Path b = writeModifiedAt(folder.resolve("b.json"), "{}", 100);
        start();
        assertEquals(b, recorder.next().export());
    }

    @Test
    void changesUnderAttachmentsAreReported() throws Exception {
        Path export = write(folder.resolve("export.json"), "{}");
        start();
        Report first = recorder.next();

        Path attachment = write(folder.resolve("attachments/7f3b2c1a-4d5e-4f60-9a7b-8c9d0e1f2a3b/recovery-codes.txt"), "codes");
        Report added = recorder.next();
        assertEquals(export, added.export());
        assertNotEquals(first.stamp(), added.stamp());

        Files.setLastModifiedTime(attachment, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Report touched = recorder.next();
        assertEquals(export, touched.export());
        assertNotEquals(added.stamp(), touched.stamp());

        Files.delete(attachment);
        Report removed = recorder.next();
        assertEquals(first.stamp(), removed.stamp(), "the same folder contents give the same stamp");
        recorder.assertNoMoreReports();
    }

    @Test
    void aFileThatExistedBeforeTheStartIsReported() throws Exception {
        Path export = write(folder.resolve("export.json"), "{}");
        start();
        assertEquals(export, recorder.next().export());
        recorder.assertNoMoreReports();
    }

    @Test
    void theRescanFindsChangesWithoutFileEvents() throws Exception {
        start(FAST, false, recorder);
        Path export = write(folder.resolve("export.json"), "{}");
        assertEquals(export, recorder.next().export());
        write(folder.resolve("attachments/item/file.txt"), "x");
        assertEquals(export, recorder.next().export());
    }

    @Test
    void fileEventsReportWellBeforeTheRescan() throws Exception {
        start(new Timing(SETTLE, Duration.ofHours(1)), true, recorder);
        recorder.assertNoMoreReports(); // the first scan is over
        Path export = write(folder.resolve("export.json"), "{}");
        assertEquals(export, recorder.next().export());
    }

    @Test
    void theStampIsTheSameForAnUnchangedFolderAcrossWatchers() throws Exception {
        write(folder.resolve("export.json"), "{}");
        write(folder.resolve("attachments/item/file.txt"), "x");
        start();
        long stamp = recorder.next().stamp();
        Recorder another = new Recorder();
        start(FAST, true, another);
        assertEquals(stamp, another.next().stamp());
    }

    @Test
    void hiddenTemporaryAndOtherFilesAreIgnored() throws Exception {
        start();
        write(folder.resolve(".hidden.json"), "{}");
        write(folder.resolve("export.json.tmp"), "{}");
        write(folder.resolve("export.json.part"), "{}");
        write(folder.resolve("export.csv.crdownload"), "x");
        write(folder.resolve("notes.txt"), "x");
        write(folder.resolve(".json"), "{}");
        Files.createDirectories(folder.resolve("folder.json"));
        recorder.assertNoMoreReports();
        Path export = write(folder.resolve("export.JSON"), "{}");
        assertEquals(export, recorder.next().export()); // still watching
    }

    @Test
    void exportNames() {
        for (String name : List.of("bitwarden_export_20250101120000.json", "vault.csv", "EXPORT.JSON", "encrypted.json")) {
            assertTrue(ExportFolderWatcher.isExportName(name), name);
        }
        for (String name : List.of(".export.json", "export.json.tmp", "export.json.part", "export.json.crdownload",
                "export.json~", "export.zip", "attachments", ".json", "json")) {
            assertFalse(ExportFolderWatcher.isExportName(name), name);
        }
    }

    @Test
    void aMissingFolderIsReportedOnceAndWatchedUntilItAppears() throws Exception {
        Path inbox = folder.resolve("inbox");
        ExportFolderWatcher watcher = new ExportFolderWatcher(inbox, FAST, SourceScheduling.onExecutor(scheduler), recorder);
        watchers.add(watcher);
        watcher.start();
        Exception problem = recorder.nextProblem();
        assertTrue(problem instanceof VaultSourceException, problem.toString());
        assertTrue(problem.getMessage().contains(inbox.toString()), problem.getMessage());
        assertNull(recorder.problems.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), "reported once, not every rescan");

        Path export = write(inbox.resolve("export.json"), "{}");
        assertEquals(export, recorder.next().export());
        assertTrue(recorder.problems.isEmpty(), recorder.problems.toString());
    }

    @Test
    void aFailingListenerDoesNotStopTheWatcher() throws Exception {
        ExportFolderWatcher.Listener failing = new ExportFolderWatcher.Listener() {
            private boolean failed;

            @Override
            public void exportChanged(Path newestExport, long changeStamp) {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("listener broke");
                }
                recorder.exportChanged(newestExport, changeStamp);
            }

            @Override
            public void watchFailed(Exception problem) {
                recorder.watchFailed(problem);
            }
        };
        write(folder.resolve("export.json"), "{}");
        start(FAST, true, failing);
        assertEquals("listener broke", recorder.nextProblem().getMessage());
        Path newer = writeModifiedAt(folder.resolve("newer.json"), "{}", 1_000_000_000);
        assertEquals(newer, recorder.next().export());
    }

    @Test
    void nothingIsReportedAfterStop() throws Exception {
        ExportFolderWatcher watcher = start();
        write(folder.resolve("export.json"), "{}");
        recorder.next();
        watcher.stop();
        watcher.stop(); // idempotent
        Path newer = writeModifiedAt(folder.resolve("newer.json"), "{}", 1_000_000_000);
        recorder.assertNoMoreReports();
        assertThrows(IllegalStateException.class, watcher::start);
    }
    /**
     * More watchers than Linux gives a user inotify instances (128 by default): with the rescan an hour
     * away, every one still reports its change from file events, through one shared watch service
     * that closes with the last watcher.
     */
    @Test
    void manyWatchersShareOneWatchServiceAndAllGetEvents() throws Exception {
        int count = 200;
        Timing eventsOnly = new Timing(SETTLE, Duration.ofHours(1));
        List<Recorder> recorders = new ArrayList<>();
        List<ExportFolderWatcher> many = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path inbox = Files.createDirectories(folder.resolve("inbox-" + i));
            Recorder r = new Recorder();
            recorders.add(r);
            ExportFolderWatcher w = new ExportFolderWatcher(inbox, eventsOnly, SourceScheduling.onExecutor(scheduler), r);
            many.add(w);
            watchers.add(w);
            w.start();
        }
        assertEquals(1, SharedWatchService.openServices());
        Thread.sleep(QUIET_MILLIS); // the first scans register the folders
        for (int i = 0; i < count; i++) {
            write(folder.resolve("inbox-" + i).resolve("bitwarden_export.json"), "{\"n\": " + i + "}");
        }
        for (int i = 0; i < count; i++) {
            assertEquals(folder.resolve("inbox-" + i).resolve("bitwarden_export.json"), recorders.get(i).next().export());
            assertTrue(recorders.get(i).problems.isEmpty(), () -> "no watch problem: " + recorders.get(0).problems);
        }
        many.forEach(ExportFolderWatcher::stop);
        assertEquals(0, SharedWatchService.openServices(), "the last watcher closes the shared service");
    }
}
