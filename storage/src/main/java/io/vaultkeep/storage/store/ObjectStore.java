package io.vaultkeep.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat namespace of immutable-by-convention objects addressed by '/'-separated keys relative to
 * the location's root (e.g. {@code indexes/00000000000000000001-<uuid>.zip}).
 *
 * <p>Every write is atomic: a reader sees either nothing or the whole object, never a partial one.
 * Implementations must pass {@code ObjectStoreContract} in storage's test jar.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Writes a new object; fails with {@link ObjectAlreadyExistsException} if one exists under
     * {@code key}, and never overwrites it, even when two writers race
     * (invariant «create-only atomic writes», docs/design.md).
     *
     * @return the stored object's metadata (its size as stored)
     */
    ObjectInfo create(String key, ObjectContent content) throws IOException;

    /** Writes an object, atomically replacing any existing one: for the writer lock only, no repository object. */
    ObjectInfo replace(String key, ObjectContent content) throws IOException;

    /** Opens the whole object; the caller closes the stream. @throws ObjectNotFoundException */
    InputStream read(String key) throws IOException;

    /**
     * Reads up to {@code length} bytes starting at {@code offset}; fewer when the object ends first.
     * @throws ObjectNotFoundException if there is no such object
     */
    byte[] readRange(String key, long offset, int length) throws IOException;

    /** The object's metadata, or empty if it does not exist. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /**
     * Every object whose key starts with {@code prefix} (recursively, at any depth), sorted by key.
     * Temporary files of writes in flight are not listed. An absent prefix folder lists nothing.
     */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Deletes the object. @return false if it did not exist (deleting is idempotent). */
    boolean delete(String key) throws IOException;

    /**
     * Removes temporary files left behind by interrupted writes (older than the given age in
     * milliseconds, so that a concurrent writer's temp file is not taken away).
     * @return how many were removed
     */
    int cleanTemporaryFiles(long olderThanMillis) throws IOException;

    /** A human-readable description of the location, safe to log (no credentials). */
    String describe();

    @Override
    default void close() throws IOException {}
}
