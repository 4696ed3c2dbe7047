package io.vaultkeep.engine.host.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RepositoryViewsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    private static RepositoryView newest(String snapshotId) {
        return new RepositoryView(CLOCK.instant(), true,
                List.of(new RepositoryView.SnapshotRow(snapshotId, CLOCK.instant(), 1, 0, 10, true)), 10, 30, null);
    }

    @Test
    void aSlowLocationIsShownAsAProblemAfterTheWaitNotWaitedOnLonger() {
        CountDownLatch release = new CountDownLatch(1);
        try (RepositoryViews views = new RepositoryViews((id, now) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(newest("s1"));
        }, CLOCK, Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofMillis(200), 1)) {
            long t0 = System.nanoTime();
            RepositoryView view = views.current("alice", null).orElseThrow();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= 190 && waited < 5000, "waited " + waited + " ms");
            assertEquals("the repository's location did not answer within 200 ms; the page shows it when it does", view.problem());
            release.countDown();
        }
    }

    @Test
    void aFailedReadIsShownWithItsMessage() {
        try (RepositoryViews views = new RepositoryViews((id, now) -> {
            throw new IOException("location http://nas/bob cannot be opened: connection refused");
        }, CLOCK, Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofSeconds(5), 1)) {
            assertEquals("the repository could not be read: location http://nas/bob cannot be opened: connection refused",
                    views.current("bob", null).orElseThrow().problem());
        }
    }

    @Test
    void theOverviewNeverWaitsAndReadsAgainWhenTheAccountCommittedANewerSnapshot() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> onDisk = new AtomicReference<>("s1");
        try (RepositoryViews views = new RepositoryViews((id, now) -> {
            reads.incrementAndGet();
            return Optional.of(newest(onDisk.get()));
        }, CLOCK, Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(5), 1)) {
            assertTrue(views.cached("alice", "s1").isEmpty(), "nothing at hand at first: a read starts");
            assertEquals("s1", awaitNewest(views, "alice", "s1"));
            int after = reads.get();
            assertEquals("s1", views.cached("alice", "s1").orElseThrow().newest().orElseThrow().id());
            assertEquals(after, reads.get(), "a fresh view is not read again");
            onDisk.set("s2");
            assertEquals("s2", awaitNewest(views, "alice", "s2"));
            assertEquals("s2", views.current("alice", "s2").orElseThrow().newest().orElseThrow().id());
        }
    }

    private static String awaitNewest(RepositoryViews views, String id, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = views.cached(id, expected).flatMap(RepositoryView::newest).map(RepositoryView.SnapshotRow::id).orElse(null);
            if (expected.equals(seen)) {
                return seen;
            }
            Thread.sleep(10);
        }
        return seen;
    }
}
