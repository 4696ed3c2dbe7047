package io.vaultkeep.engine.source;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches one folder that {@code bw export} writes into and says when there is a new vault to back
 * up: the newest export file ({@code *.json}, {@code *.csv}) or the {@code attachments/} folder
 * beside it ({@code <itemId>/<fileName>}) changed.
 *
 * <p>Nothing is reported while anything is being written: every export file and the attachments
 * tree must look the same (size and modification time of each file) in two observations at least
 * {@link Timing#settleTime()} apart, and a file whose writer is still busy keeps the whole folder
 * unsettled, so an export is never paired with half-copied attachments. Copies that keep an old
 * modification time ({@code cp -p}) are caught by the size check and the second observation.
 *
 * <p>The file system's watch service, shared by every watcher of the JVM ({@link SharedWatchService}:
 * inotify instances are few), makes reports quick; a rescan every {@link Timing#rescanInterval()}
 * catches what it misses (network file systems, overflows, a folder that appears late). All work runs on the scheduler given, in short tasks that never throw into
 * it: problems go to {@link Listener#watchFailed} (once per distinct problem) and watching goes on.
 */
public final class ExportFolderWatcher implements AutoCloseable {

    /**
     * Receives reports: on the scheduler's threads, one call at a time, never after {@link #stop()}
     * returns. Calls should be quick (tell an actor): the watcher waits for them.
     */
    public interface Listener {

        /**
         * The folder settled in a new state.
         *
         * @param newestExport the newest export file (latest modification time, then greatest name)
         * @param changeStamp  a hash of what was observed (name, size and modification time of the
         *                     export and of every attachment file): equal stamps mean an unchanged
         *                     folder, also across restarts, so a host can skip a backup it already has
         */
        void exportChanged(Path newestExport, long changeStamp);

        /** Watching hit a problem (the folder is gone, cannot be listed, …); the watcher keeps trying. */
        void watchFailed(Exception problem);
    }

    /**
     * @param settleTime     how long a file must look unchanged before it is read (default 1 s)
     * @param rescanInterval how often the folder is listed whatever the watch service says (default 30 s)
     */
    public record Timing(Duration settleTime, Duration rescanInterval) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(30));

        public Timing {
            if (settleTime.isNegative() || settleTime.isZero() || rescanInterval.isNegative() || rescanInterval.isZero()) {
                throw new IllegalArgumentException("settle time and rescan interval must be positive");
            }
        }
    }

    public static final String ATTACHMENTS = "attachments";

    private static final List<String> EXPORT_SUFFIXES = List.of(".json", ".csv");
    // what browsers and copy tools name a file while they write it, should one end in .json too
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".tmp", ".part", ".crdownload", ".partial", ".download", "~");

    private final Path folder;
    private final Path attachments;
    private final Timing timing;
    private final SourceScheduling scheduler;
    private final Listener listener;
    private final boolean useWatchService;

    private final Object lock = new Object();
    // everything below is guarded by lock
    private boolean started;
    private boolean stopped;
    private SharedWatchService.Membership fileEvents;
    private final Map<WatchKey, Path> watchedFolders = new HashMap<>();
    private final List<SourceScheduling.ScheduledTask> periodicTasks = new ArrayList<>();
    private SourceScheduling.ScheduledTask followUp;
    private long followUpAt;
    private Map<Path, Observation> exports = Map.of();
    private long attachmentsHash;
    private long attachmentsSeenAt;
    private boolean attachmentsObserved;
    private Long reportedStamp;
    private String reportedProblem;

    /** What one look at a file saw, and since when it has looked like that. */
    private record Observation(long size, FileTime modified, long sinceNanos) {
        boolean sameAs(BasicFileAttributes a) {
            return size == a.size() && modified.equals(a.lastModifiedTime());
        }
    }

    public ExportFolderWatcher(Path folder, Timing timing, SourceScheduling scheduler, Listener listener) {
        this(folder, timing, scheduler, listener, true);
    }

    /** @param useWatchService false leaves only the rescan, as on a file system whose events never arrive */
    ExportFolderWatcher(Path folder, Timing timing, SourceScheduling scheduler, Listener listener, boolean useWatchService) {
        this.folder = folder.toAbsolutePath().normalize();
        this.attachments = this.folder.resolve(ATTACHMENTS);
        this.timing = Objects.requireNonNull(timing, "timing");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.useWatchService = useWatchService;
    }

    public Path folder() {
        return folder;
    }

    /** Starts watching: a first scan right away, then on file events and every rescan interval. */
    public void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("the watcher of " + folder + " was started already");
            }
            started = true;
            if (useWatchService) {
                try {
                    fileEvents = SharedWatchService.join(folder.getFileSystem(), this::onEvents);
                } catch (IOException | UnsupportedOperationException e) {
                    IOException problem = new IOException("file events unavailable for " + folder + ", relying on the rescan: " + e, e);
                    scheduler.blocking().execute(() -> {
                        synchronized (lock) {
                            report(problem);
                        }
                    });
                }
            }
            long rescan = timing.rescanInterval().toNanos();
            periodicTasks.add(scheduler.scheduleWithFixedDelay(Duration.ZERO, Duration.ofNanos(rescan), () -> guarded(this::scan)));
        }
    }

    /** Stops watching; idempotent. No report is made after it returns. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            periodicTasks.forEach(SourceScheduling.ScheduledTask::cancel);
            periodicTasks.clear();
            if (followUp != null) {
                followUp.cancel();
                followUp = null;
            }
            if (fileEvents != null) {
                fileEvents.close();
                fileEvents = null;
                watchedFolders.clear();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Whether a file in the watched folder is an export: {@code *.json} or {@code *.csv} (any case),
     * not hidden (a leading dot) and not a download or copy still in progress.
     */
    public static boolean isExportName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.startsWith(".") || TEMPORARY_SUFFIXES.stream().anyMatch(name::endsWith)) {
            return false;
        }
        return EXPORT_SUFFIXES.stream().anyMatch(s -> name.endsWith(s) && name.length() > s.length());
    }

    /** Runs a task so that nothing escapes into the scheduler (which would silently cancel a periodic task). */
    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                report(e instanceof Exception ex ? ex : new IllegalStateException("the watcher of " + folder + " failed: " + e, e));
            }
        }
    }

    /** From the shared service's thread: the work goes to the scheduler, so that thread never waits for a scan. */
    private void onEvents(WatchKey key, Path dir, List<WatchEvent<?>> events, boolean stillValid) {
        scheduler.blocking().execute(() -> guarded(() -> handleEvents(key, dir, events, stillValid)));
    }

    private void handleEvents(WatchKey key, Path dir, List<WatchEvent<?>> events, boolean stillValid) {
        boolean relevant = false;
        synchronized (lock) {
            if (stopped || fileEvents == null) {
                return;
            }
            for (WatchEvent<?> event : events) {
                relevant |= event.kind() == OVERFLOW || !dir.equals(folder)
                        || event.context() instanceof Path name && (isExportName(name.toString()) || name.toString().equals(ATTACHMENTS));
            }
            if (!stillValid) {
                watchedFolders.remove(key); // the folder is gone; the next scan registers it again if it returns
                relevant = true;
            }
        }
        if (relevant) {
            scan();
        }
    }

    private void scan() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            if (!Files.isDirectory(folder)) {
                exports = Map.of();
                attachmentsObserved = false;
                report(new VaultSourceException("export folder " + folder + " does not exist or is not a folder"));
                return;
            }
            watchFolders();
            try {
                exports = observeExports(now);
                observeAttachments(now);
            } catch (NoSuchFileException e) {
                // a file or folder vanished while being listed: look again once things settled
                scheduleFollowUp(now + timing.settleTime().toNanos());
                return;
            } catch (IOException e) {
                report(e);
                return;
            }
            reportedProblem = null;

            long settledAt = attachmentsSeenAt;
            for (Observation o : exports.values()) {
                settledAt = Math.max(settledAt, o.sinceNanos());
            }
            settledAt += timing.settleTime().toNanos();
            if (now - settledAt < 0) {
                scheduleFollowUp(settledAt);
                return;
            }
            exports.entrySet().stream()
                    .max(Comparator.comparing((Map.Entry<Path, Observation> e) -> e.getValue().modified())
                            .thenComparing(e -> e.getKey().getFileName().toString()))
                    .ifPresent(newest -> {
                        long stamp = stamp(newest.getKey(), newest.getValue());
                        if (reportedStamp == null || reportedStamp != stamp) {
                            reportedStamp = stamp;
                            try {
                                listener.exportChanged(newest.getKey(), stamp);
                            } catch (RuntimeException e) {
                                report(e);
                            }
                        }
                    });
        }
    }

    private Map<Path, Observation> observeExports(long now) throws IOException {
        Map<Path, Observation> seen = new HashMap<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder, p -> isExportName(p.getFileName().toString()))) {
            for (Path child : children) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(child, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                Observation before = exports.get(child);
                seen.put(child, before != null && before.sameAs(a) ? before : new Observation(a.size(), a.lastModifiedTime(), now));
            }
        }
        return seen;
    }

    /** One hash over every file under attachments/ (relative name, size, modification time). */
    private void observeAttachments(long now) throws IOException {
        MessageDigest digest = sha256();
        if (Files.isDirectory(attachments)) {
            List<String> lines = new ArrayList<>();
            try (Stream<Path> files = Files.walk(attachments)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(file, BasicFileAttributes.class);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (a.isRegularFile()) {
                        lines.add(attachments.relativize(file) + "\t" + a.size() + "\t" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
                    }
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            lines.sort(null);
            lines.forEach(l -> digest.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        long hash = ByteBuffer.wrap(digest.digest()).getLong();
        if (!attachmentsObserved || hash != attachmentsHash) {
            attachmentsHash = hash;
            attachmentsSeenAt = now;
            attachmentsObserved = true;
        }
    }

    private long stamp(Path export, Observation o) {
        MessageDigest digest = sha256();
        digest.update((export.getFileName() + "\t" + o.size() + "\t" + o.modified().to(TimeUnit.NANOSECONDS) + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(attachmentsHash).array());
        return ByteBuffer.wrap(digest.digest()).getLong();
    }

    /**
     * Registers the folder and every folder under attachments/ that is not watched yet. When that
     * fails for another reason than a folder vanishing (the inotify watch limit, say), file events
     * are given up, once and said so, and the rescan carries on alone.
     */
    private void watchFolders() {
        if (fileEvents == null) {
            return;
        }
        try {
            Set<Path> watched = new HashSet<>(watchedFolders.values());
            List<Path> wanted = new ArrayList<>();
            wanted.add(folder);
            if (Files.isDirectory(attachments)) {
                try (Stream<Path> dirs = Files.walk(attachments)) {
                    dirs.filter(Files::isDirectory).forEach(wanted::add);
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            for (Path dir : wanted) {
                if (!watched.contains(dir)) {
                    watchedFolders.put(fileEvents.register(dir, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
                }
            }
        } catch (NoSuchFileException vanished) {
            // the scan that follows sees the change; the next one registers what is there then
        } catch (IOException e) {
            report(new IOException("file events unavailable for " + folder + ", relying on the rescan every "
                    + timing.rescanInterval().toSeconds() + " s: " + e.getMessage(), e));
            fileEvents.close();
            fileEvents = null;
            watchedFolders.clear();
        }
    }

    private void scheduleFollowUp(long atNanos) {
        if (followUp != null && !followUp.isDone() && followUpAt - atNanos <= 0) {
            return; // one is due sooner; it will look again
        }
        if (followUp != null) {
            followUp.cancel();
        }
        followUpAt = atNanos;
        long delay = Math.max(0, atNanos - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(5);
        followUp = scheduler.scheduleOnce(Duration.ofNanos(delay), () -> guarded(this::scan));
    }

    /** Tells the listener about a problem once, until a scan succeeds or the problem changes. */
    private void report(Exception problem) {
        if (stopped) {
            return;
        }
        String key = problem.getClass().getName() + ": " + problem.getMessage();
        if (key.equals(reportedProblem)) {
            return;
        }
        reportedProblem = key;
        try {
            listener.watchFailed(problem);
        } catch (RuntimeException ignored) {
            // a listener that fails to take a failure report leaves nobody else to tell
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
