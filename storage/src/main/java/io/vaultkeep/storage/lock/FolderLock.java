package io.vaultkeep.storage.lock;

import io.vaultkeep.protocol.repository.LockDocument;
import io.vaultkeep.protocol.repository.RepositoryJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The writer lock of a folder: an exclusive OS lock on {@code locks/writer.lock}, whose content names
 * the holder for writers that wait. The kernel releases it when the holder dies, so it never goes
 * stale and has no expiry to wait out.
 *
 * <p>Within one JVM the OS lock cannot tell two holders apart, and closing any channel on the file
 * would drop it; so this JVM's holdings are kept in {@link #HELD}, and a file held here is never
 * opened a second time.
 */
final class FolderLock implements WriterLock {

    private static final Map<Path, LockDocument> HELD = new HashMap<>();
    private static final String HOST = WriterLock.hostName();

    private final Path file;
    private final String where;
    private final LockRule rule;
    private final Clock clock;

    FolderLock(Path file, String where, LockRule rule, Clock clock) {
        this.file = file;
        this.where = where;
        this.rule = rule;
        this.clock = clock;
    }

    @Override
    public Holding acquire(String owner) throws IOException {
        long since = System.nanoTime(); // waiting is measured on the monotonic clock, expiry on the wall clock
        while (true) {
            LockDocument mine = rule.claim(owner, HOST, ProcessHandle.current().pid(), UUID.randomUUID().toString(), clock.instant());
            LockDocument holder;
            synchronized (HELD) {
                holder = HELD.get(file);
                if (holder == null) {
                    Holding taken = tryTake(mine);
                    if (taken != null) {
                        return taken;
                    }
                    holder = readHolder();
                }
            }
            if (rule.givesUp(Duration.ofNanos(System.nanoTime() - since))) {
                throw ObjectLock.locked(where, holder);
            }
            ObjectLock.pause(rule.poll());
        }
    }

    /** The lock, or null when another process holds it. */
    private Holding tryTake(LockDocument mine) throws IOException {
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(RepositoryJson.write(mine)), 0);
        channel.force(false);
        HELD.put(file, mine);
        return new Holding() {
            private boolean released;

            @Override
            public void verify() throws IOException {
                if (!lock.isValid()) {
                    throw new LockLostException("the writer lock of " + where + " is no longer held: this run commits nothing");
                }
            }

            @Override
            public void close() throws IOException {
                synchronized (HELD) {
                    if (released) {
                        return;
                    }
                    released = true;
                    HELD.remove(file);
                    try {
                        // emptied, not deleted: a deleted file could be locked by one writer and recreated by another
                        channel.truncate(0);
                        lock.release();
                    } finally {
                        channel.close();
                    }
                }
            }
        };
    }

    /** Who holds it, from the file's content; a holder caught writing it is named as unknown. */
    private LockDocument readHolder() throws IOException {
        try {
            return RepositoryJson.read(Files.readAllBytes(file), LockDocument.class, WriterLock.KEY);
        } catch (NoSuchFileException | io.vaultkeep.protocol.repository.MalformedDocumentException e) {
            return new LockDocument("another process", "unknown", 0, clock.instant(), clock.instant(), "");
        }
    }
}
