package io.vaultkeep.storage.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.LockDocument;
import io.vaultkeep.protocol.repository.RepositoryJson;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer lock on a folder (OS lock), and as a lock object on a folder seen through a plain store
 * and on Apache mod_dav: waiting, failing with the holder's name, release, refresh, takeover of a
 * stale lock, and a holder that lost its lock refusing to commit.
 */
class WriterLockTest {

    private static final LockRule QUICK = new LockRule(Duration.ofSeconds(30), Duration.ofMillis(400), Duration.ofMillis(50));
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    @RegisterExtension
    static final ApacheDav.PerClass APACHE = ApacheDav.perClass();

    @TempDir
    static Path temp;

    /** A fresh location of each kind: the folder itself, the folder through a plain store, WebDAV. */
    static Stream<String> kinds() {
        return Stream.of("folder", "object-on-folder", "webdav");
    }

    /** The kinds with a lock object (an OS lock has no expiry: the kernel releases it with its holder). */
    static Stream<String> objectKinds() {
        return Stream.of("object-on-folder", "webdav");
    }

    private static ObjectStore store(String kind) throws IOException {
        int n = COLLECTIONS.incrementAndGet();
        return switch (kind) {
            case "folder" -> FolderStore.open(temp.resolve("folder-" + n));
            case "object-on-folder" -> new DelegatingStore(FolderStore.open(temp.resolve("wrapped-" + n)));
            default -> WebDavStore.open(APACHE.server().url("locks-" + n), ApacheDav.USER, ApacheDav.PASSWORD, null);
        };
    }

    private static WriterLock lock(ObjectStore store, LockRule rule, List<String> warnings) {
        return WriterLock.forStore(store, rule, Clock.systemUTC(), warnings::add);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aSecondWriterWaitsThenFailsNamingTheHolder(String kind) throws Exception {
        try (ObjectStore store = store(kind)) {
            assertEquals(!kind.equals("folder"), lock(store, QUICK, List.of()) instanceof ObjectLock);
            try (WriterLock.Holding first = lock(store, QUICK, List.of()).acquire("vaultkeep backup")) {
                first.verify();
                long started = System.nanoTime();
                RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                        () -> lock(store, QUICK, List.of()).acquire("vaultkeep prune"));
                assertTrue(System.nanoTime() - started >= QUICK.maxWait().toNanos(), "it waited its time first");
                String prefix = "repository " + store.describe() + " is locked by vaultkeep backup (pid "
                        + ProcessHandle.current().pid() + " on " + WriterLock.hostName() + ") since ";
                assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
                Instant since = Instant.parse(e.getMessage().substring(prefix.length()));
                assertTrue(Duration.between(since, Instant.now()).abs().toSeconds() < 30, e.getMessage());
            }
            try (WriterLock.Holding again = lock(store, QUICK, List.of()).acquire("vaultkeep prune")) {
                again.verify(); // released on close: the next writer takes it at once
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aWaitingWriterGetsTheLockWhenItIsReleased(String kind) throws Exception {
        try (ObjectStore store = store(kind)) {
            LockRule patient = new LockRule(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofMillis(50));
            WriterLock.Holding first = lock(store, patient, List.of()).acquire("vaultkeep backup");
            long started = System.nanoTime();
            CompletableFuture<WriterLock.Holding> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return lock(store, patient, List.of()).acquire("vaultkeep host account a");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(second.isDone(), "held: the second writer waits");
            first.close();
            try (WriterLock.Holding got = second.get(10, TimeUnit.SECONDS)) {
                got.verify();
                assertTrue(System.nanoTime() - started >= Duration.ofMillis(500).toNanos());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("objectKinds")
    void aHeldLockIsRefreshedAndNeverTakenOver(String kind) throws Exception {
        try (ObjectStore store = store(kind)) {
            LockRule shortLived = new LockRule(Duration.ofMillis(600), Duration.ofMillis(300), Duration.ofMillis(50));
            List<String> warnings = new CopyOnWriteArrayList<>();
            try (WriterLock.Holding first = lock(store, shortLived, warnings).acquire("vaultkeep backup")) {
                Thread.sleep(1_500); // more than twice the expiry: only refreshes keep it
                assertThrows(RepositoryLockedException.class, () -> lock(store, shortLived, warnings).acquire("vaultkeep prune"));
                first.verify();
                LockDocument now = readLock(store);
                assertTrue(now.expiresAt().isAfter(now.acquiredAt().plusMillis(900)), "refreshed: " + now);
            }
            assertEquals(List.of(), warnings);
            assertTrue(store.stat(WriterLock.KEY).isEmpty(), "released: the lock object is gone");
        }
    }

    @ParameterizedTest
    @MethodSource("objectKinds")
    void aStaleLockIsTakenOverWithAWarning(String kind) throws Exception {
        try (ObjectStore store = store(kind)) {
            Instant longAgo = Instant.parse("2026-01-01T00:00:00Z");
            store.create(WriterLock.KEY, ObjectContent.ofBytes(RepositoryJson.write(
                    new LockDocument("vaultkeep backup", "elsewhere", 1, longAgo, longAgo.plusSeconds(300), "dead"))));
            List<String> warnings = new CopyOnWriteArrayList<>();
            try (WriterLock.Holding taken = lock(store, QUICK, warnings).acquire("vaultkeep repair")) {
                taken.verify();
                assertEquals("vaultkeep repair", readLock(store).owner());
            }
            assertEquals(List.of("taking over the writer lock of " + store.describe()
                    + " from vaultkeep backup (pid 1 on elsewhere): it expired at 2026-01-01T00:05:00Z unrefreshed"), warnings);
        }
    }

    @ParameterizedTest
    @MethodSource("objectKinds")
    void theLockOfAProcessGoneFromThisHostIsTakenOverAtOnce(String kind) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (ObjectStore store = store(kind)) {
            Instant now = Instant.now();
            store.create(WriterLock.KEY, ObjectContent.ofBytes(RepositoryJson.write(new LockDocument("vaultkeep host account a",
                    WriterLock.hostName(), gone.pid(), now, now.plusSeconds(3600), "killed"))));
            List<String> warnings = new CopyOnWriteArrayList<>();
            long started = System.nanoTime();
            try (WriterLock.Holding taken = lock(store, QUICK, warnings).acquire("vaultkeep host account a")) {
                taken.verify();
            }
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "no expiry waited out");
            assertEquals(List.of("taking over the writer lock of " + store.describe() + " from vaultkeep host account a (pid "
                    + gone.pid() + " on " + WriterLock.hostName() + "): that process is gone"), warnings);
        }
    }

    @ParameterizedTest
    @MethodSource("objectKinds")
    void aHolderWhoseLockWasTakenOverCommitsNothing(String kind) throws Exception {
        try (ObjectStore store = store(kind)) {
            WriterLock.Holding stalled = lock(store, QUICK, List.of()).acquire("vaultkeep backup");
            LockDocument other = new LockDocument("vaultkeep host account a", "nas", 9, Instant.now(), Instant.now().plusSeconds(60), "other");
            store.replace(WriterLock.KEY, ObjectContent.ofBytes(RepositoryJson.write(other)));
            LockLostException e = assertThrows(LockLostException.class, stalled::verify);
            assertEquals("the writer lock of " + store.describe() + " was taken over by vaultkeep host account a (pid 9 on nas)"
                    + " (this run outlived its expiry): nothing is committed", e.getMessage());
            stalled.close();
            assertEquals(other, readLock(store), "releasing a lost lock leaves the new holder's in place");
        }
    }

    @Test
    void aCreateOfTheLockThatARacingWritersCreateReplacedHoldsNothing() throws Exception {
        // A server that answers success to two racing creates (Apache mod_dav checks, then renames):
        // the other writer's rename lands just after ours, and both creates return normally.
        LockDocument other = new LockDocument("vaultkeep host account a", "nas", 9, Instant.now(), Instant.now().plusSeconds(60), "other");
        try (FolderStore folder = FolderStore.open(temp.resolve("racing"))) {
            AtomicBoolean raced = new AtomicBoolean();
            ObjectStore racing = new DelegatingStore(folder) {
                @Override
                public ObjectInfo create(String key, ObjectContent content) throws IOException {
                    ObjectInfo created = delegate.create(key, content);
                    if (raced.compareAndSet(false, true)) {
                        delegate.replace(key, ObjectContent.ofBytes(RepositoryJson.write(other)));
                    }
                    return created;
                }
            };

            RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                    () -> lock(racing, QUICK, List.of()).acquire("vaultkeep backup"));

            assertEquals("repository " + racing.describe() + " is locked by vaultkeep host account a (pid 9 on nas) since "
                    + other.acquiredAt(), e.getMessage());
            assertEquals(other, readLock(folder), "the racing writer's lock is left in place");
        }
    }

    @Test
    void aReleasedFolderLockIsEmptyAndFreeForALockObjectOnTheSameFolder() throws Exception {
        try (FolderStore folder = FolderStore.open(temp.resolve("mixed"))) {
            lock(folder, QUICK, List.of()).acquire("vaultkeep backup").close();
            assertEquals(0, Files.size(folder.root().resolve(WriterLock.KEY)));
            List<String> warnings = new CopyOnWriteArrayList<>();
            try (WriterLock.Holding viaObject = lock(new DelegatingStore(folder), QUICK, warnings).acquire("vaultkeep prune")) {
                viaObject.verify();
            }
            assertEquals(List.of(), warnings, "a released lock is no stale one");
        }
    }

    private static LockDocument readLock(ObjectStore store) throws IOException {
        try (InputStream in = store.read(WriterLock.KEY)) {
            return RepositoryJson.read(in.readAllBytes(), LockDocument.class, WriterLock.KEY);
        }
    }
}
