package io.vaultkeep.engine.host;

import io.vaultkeep.engine.config.LocationConfig;
import io.vaultkeep.storage.store.LocationProbe;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Keyguard's location test said of an account's location before the host starts the account:
 * it passed; it failed (the location answers but cannot keep a repository: refused until a
 * restart); or the location could not be opened (tried again later).
 */
sealed interface LocationTest {

    record Passed() implements LocationTest {}

    /** The location answered but failed a step; {@code reason} names the location and the step. */
    record Failed(String reason) implements LocationTest {}

    /** The location could not be opened (unreachable, refusing, timing out). */
    record Unreachable(String reason) implements LocationTest {}

    /** Runs the test once on the calling thread: a flushed write, reads, a listing and a delete. */
    static LocationTest of(LocationConfig location) {
        try (ObjectStore store = location.open()) {
            return on(store);
        } catch (IOException e) {
            return new Unreachable("location " + location.describe() + " cannot be opened: " + e.getMessage());
        }
    }

    /** Runs the test on a store already open: it passed, or it failed at a step. */
    static LocationTest on(ObjectStore store) {
        LocationProbe.Result probe = new LocationProbe(store).run();
        if (probe.ok()) {
            return new Passed();
        }
        LocationProbe.Step failed = probe.firstFailure().orElseThrow();
        return new Failed("location test failed at " + store.describe() + ": " + failed.name() + ": " + failed.detail());
    }

    /**
     * Tests many locations at once on up to {@code parallel} threads, and hands each outcome to
     * {@code admit} in the order given, on the calling thread. A host starting thousands of accounts
     * would otherwise wait for each flushed write in turn; admitting in order keeps its log and its
     * registrations as they were. A test that throws (a bug, not a location's answer) stops the
     * start with that exception.
     */
    static <A> void testAll(List<A> accounts, java.util.function.Function<A, LocationConfig> location, int parallel,
                            java.util.function.BiConsumer<A, LocationTest> admit) throws IOException {
        if (accounts.isEmpty()) {
            return;
        }
        AtomicInteger number = new AtomicInteger();
        ExecutorService testers = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, accounts.size())), runnable -> {
            Thread thread = new Thread(runnable, "vaultkeep-location-test-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<LocationTest>> tests = new ArrayList<>(accounts.size());
            for (A account : accounts) {
                tests.add(testers.submit(() -> of(location.apply(account))));
            }
            for (int i = 0; i < accounts.size(); i++) {
                admit.accept(accounts.get(i), await(tests.get(i)));
            }
        } finally {
            testers.shutdownNow();
        }
    }

    private static LocationTest await(Future<LocationTest> test) throws IOException {
        try {
            return test.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while testing the accounts' locations", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IOException(e.getCause());
        }
    }
}
