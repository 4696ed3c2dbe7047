package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A location that tells {@link Progress} what is read of the objects it counts (snapshots, blobs).
 * Work may read an object more than once (check verifies, then reads the manifest): each counts up
 * to the furthest byte any read reached, and as done once, so the line ends at the listing's totals.
 * Only for commands that take no writer lock (check, restore): the lock's kind depends on the
 * store's own class, which this wrapper hides.
 */
final class ProgressStore extends DelegatingStore {

    private final Progress progress;
    private final Predicate<String> counted;
    private final Map<String, AtomicLong> furthest = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();

    ProgressStore(ObjectStore store, Progress progress, Predicate<String> counted) {
        super(store);
        this.progress = progress;
        this.counted = counted;
    }

    /** The store itself when nothing is shown, so nothing changes then. */
    static ObjectStore watching(ObjectStore store, Progress progress, Predicate<String> counted) {
        return progress.shown() ? new ProgressStore(store, progress, counted) : store;
    }

    /** The objects worth counting: their bytes are the bulk of the work. */
    static boolean snapshotOrBlob(String key) {
        return key.startsWith(RepositoryPaths.SNAPSHOTS) || key.startsWith(RepositoryPaths.BLOBS);
    }

    /** Totals from the listing of every snapshot and blob (a listing check makes anyway). */
    static void expectEverySnapshotAndBlob(ObjectStore store, Progress progress) throws IOException {
        if (progress.shown()) {
            List<ObjectInfo> objects = new java.util.ArrayList<>(store.list(RepositoryPaths.SNAPSHOTS));
            objects.addAll(store.list(RepositoryPaths.BLOBS));
            progress.expect(objects.size(), objects.stream().mapToLong(ObjectInfo::size).sum());
        }
    }

    @Override
    public InputStream read(String key) throws IOException {
        InputStream in = delegate.read(key);
        return counted.test(key) ? new Counting(in, key) : in;
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        byte[] bytes = delegate.readRange(key, offset, length);
        if (counted.test(key)) {
            reached(key, offset + bytes.length);
        }
        return bytes;
    }

    /** Counts what a read of {@code key} reached beyond every earlier read of it. */
    private void reached(String key, long position) {
        long before = furthest.computeIfAbsent(key, k -> new AtomicLong()).getAndAccumulate(position, Math::max);
        if (position > before) {
            progress.bytes(position - before);
        }
    }

    private void closed(String key) {
        if (done.add(key)) {
            progress.objectDone();
        }
    }

    @Override
    public void close() throws IOException {
        delegate.close(); // the command's location: the wrapper stands for it
    }

    /** Counts the bytes read of one object, and the object when the stream is closed. */
    private final class Counting extends FilterInputStream {

        private final String key;
        private long position;

        Counting(InputStream in, String key) {
            super(in);
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                reached(key, ++position);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                position += n;
                reached(key, position);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            position += skipped;
            reached(key, position);
            return skipped;
        }

        @Override
        public void close() throws IOException {
            super.close();
            closed(key);
        }
    }
}
