package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.IndexDocument;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The index objects of one repository already read, by key, kept from one run to the next: an
 * index is written create-only under a key no other index ever has, so what a key held once it
 * holds for good. A run then reads the listing and only the indexes it has not seen, usually none
 * but the one its own last commit read back. Only reads fill it (a commit's read-back included), so
 * an index is never trusted that was not read whole. {@code check} never uses it: it reads every
 * object. Thread-safe; bounded (a superseded index drops out as the newest ones are used).
 */
public final class IndexCache {

    /** Indexes kept: far more than the heads and orphans of the generations a reader looks at. */
    private static final int CAPACITY = 32;

    /**
     * In access order (least recently used first out). Made at the default size, not for
     * {@link #CAPACITY}: a cache is kept per account, which usually holds one or two indexes, and
     * a table sized for 32 cost 272 bytes of each idle account; it grows if a reader needs more.
     */
    private final Map<String, IndexDocument> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IndexDocument> eldest) {
            return size() > CAPACITY;
        }
    };
    private long reads;

    synchronized Optional<IndexDocument> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    synchronized void put(String key, IndexDocument document) {
        reads++;
        byKey.put(key, document);
    }

    /** Forgets every index (they are read again when next needed). */
    public synchronized void clear() {
        byKey.clear();
    }

    /** Indexes read (and kept) since this cache was made. */
    public synchronized long reads() {
        return reads;
    }
}
