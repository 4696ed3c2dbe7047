package io.vaultkeep.engine.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@link WatchService} per file system for every export folder watcher of this JVM, and one
 * thread that takes its keys and hands each folder's events to the watchers of that folder.
 *
 * <p>Why shared: on Linux each watch service is an inotify instance, and a user has 128 of them
 * ({@code fs.inotify.max_user_instances}) for all of its processes; the JDK also gives each service
 * a thread. A service per watcher stopped file events after the first ~128 accounts of a host (the
 * rest fell back to the rescan) and cost a thread per account. Folders are inotify watches instead
 * ({@code max_user_watches}, far larger).
 *
 * <p>Linux returns the same key when one folder is registered twice, so a key may have several
 * subscribers; a key is cancelled only when its last subscriber lets go.
 */
final class SharedWatchService {

    /** Receives a folder's events on the dispatch thread: must return at once (hand work to an executor). */
    interface Subscriber {
        void events(WatchKey key, Path folder, List<WatchEvent<?>> events, boolean stillValid);
    }

    private static final Map<FileSystem, SharedWatchService> SHARED = new HashMap<>(); // guarded by SharedWatchService.class

    private final FileSystem fileSystem;
    private final WatchService service;
    private int members; // guarded by SharedWatchService.class
    // key → its subscribers and the folder each registered; guarded by this
    private final Map<WatchKey, Map<Subscriber, Path>> subscribers = new HashMap<>();

    private SharedWatchService(FileSystem fileSystem, WatchService service) {
        this.fileSystem = fileSystem;
        this.service = service;
    }

    /** Joins the file system's shared service, starting it (and its thread) for the first member. */
    static Membership join(FileSystem fileSystem, Subscriber subscriber) throws IOException {
        synchronized (SharedWatchService.class) {
            SharedWatchService shared = SHARED.get(fileSystem);
            if (shared == null) {
                shared = new SharedWatchService(fileSystem, fileSystem.newWatchService());
                SHARED.put(fileSystem, shared);
                Thread dispatcher = new Thread(shared::dispatch, "vaultkeep-file-events");
                dispatcher.setDaemon(true);
                dispatcher.start();
            }
            shared.members++;
            return shared.new Membership(subscriber);
        }
    }

    /** How many services are open now (one per file system in use): for tests. */
    static int openServices() {
        synchronized (SharedWatchService.class) {
            return SHARED.size();
        }
    }

    private void dispatch() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException closed) {
                return;
            }
            List<WatchEvent<?>> events = key.pollEvents();
            boolean valid = key.reset();
            List<Map.Entry<Subscriber, Path>> targets;
            synchronized (this) {
                Map<Subscriber, Path> of = valid ? subscribers.get(key) : subscribers.remove(key);
                targets = of == null ? List.of() : new ArrayList<>(of.entrySet());
            }
            for (Map.Entry<Subscriber, Path> target : targets) {
                try {
                    target.getKey().events(key, target.getValue(), events, valid);
                } catch (RuntimeException ignored) {
                    // a subscriber's failure is its own; the others still get their events
                }
            }
        }
    }

    /** One watcher's share: the folders it registered. Not thread-safe: the watcher calls it under its lock. */
    final class Membership implements AutoCloseable {
        private final Subscriber subscriber;
        private final Set<WatchKey> keys = new HashSet<>();
        private boolean closed;

        private Membership(Subscriber subscriber) {
            this.subscriber = subscriber;
        }

        WatchKey register(Path folder, WatchEvent.Kind<?>... kinds) throws IOException {
            if (closed) {
                throw new IllegalStateException("this watcher left the shared watch service");
            }
            WatchKey key = folder.register(service, kinds);
            synchronized (SharedWatchService.this) {
                subscribers.computeIfAbsent(key, k -> new IdentityHashMap<>()).put(subscriber, folder);
            }
            keys.add(key);
            return key;
        }

        /** Stops this watcher's interest in {@code key}; the key is cancelled when nobody else has it. */
        void forget(WatchKey key) {
            keys.remove(key);
            synchronized (SharedWatchService.this) {
                Map<Subscriber, Path> of = subscribers.get(key);
                if (of != null) {
                    of.remove(subscriber);
                    if (of.isEmpty()) {
                        subscribers.remove(key);
                        key.cancel();
                    }
                }
            }
        }

        /** Forgets every key; the last member closes the service, which ends its thread. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (WatchKey key : new ArrayList<>(keys)) {
                forget(key);
            }
            synchronized (SharedWatchService.class) {
                if (--members == 0) {
                    SHARED.remove(fileSystem);
                    try {
                        service.close();
                    } catch (IOException ignored) {
                        // closing only gives the inotify handle back; nothing to tell anyone
                    }
                }
            }
        }
    }
}
