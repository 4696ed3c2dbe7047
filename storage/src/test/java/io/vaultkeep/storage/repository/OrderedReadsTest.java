package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrderedReadsTest {

    @Test
    void resultsComeInTheOrderGivenWhateverOrderTheReadsEndIn() throws Exception {
        List<OrderedReads.Read<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            reads.add(() -> {
                sleep((40 - n) % 7 * 3L); // later reads often end first
                return n;
            });
        }
        try (OrderedReads parallel = new OrderedReads(4)) {
            assertEquals(IntStream.range(0, 40).boxed().toList(), parallel.inOrder(reads));
        }
    }

    @Test
    void aSlowReadHoldsBackAtMostTwiceTheReadersStartedAfterIt() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        List<OrderedReads.Read<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            reads.add(() -> {
                started.incrementAndGet();
                if (n == 0) {
                    await(slow);
                }
                return n;
            });
        }
        AtomicInteger startedWhileStuck = new AtomicInteger();
        try (OrderedReads parallel = new OrderedReads(3)) {
            Thread releaser = new Thread(() -> {
                sleep(300);
                startedWhileStuck.set(started.get());
                slow.countDown();
            });
            releaser.start();
            assertEquals(50, parallel.inOrder(reads).size());
            releaser.join();
        }
        assertTrue(startedWhileStuck.get() <= 6, "started while the first read is stuck: " + startedWhileStuck.get());
        assertEquals(50, started.get());
    }

    @Test
    void theFailureReportedIsTheFirstInOrderNotTheFirstInTime() {
        List<OrderedReads.Read<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            reads.add(() -> {
                if (n == 2) {
                    sleep(200);
                    throw new IOException("read 2 failed");
                }
                if (n == 4) {
                    throw new IOException("read 4 failed");
                }
                return n;
            });
        }
        try (OrderedReads parallel = new OrderedReads(4)) {
            assertEquals("read 2 failed", assertThrows(IOException.class, () -> parallel.inOrder(reads)).getMessage());
        }
    }

    @Test
    void oneReaderReadsOnTheCallersThread() throws Exception {
        Thread caller = Thread.currentThread();
        try (OrderedReads serial = new OrderedReads(1)) {
            assertEquals(List.of(true, true), serial.inOrder(List.<OrderedReads.Read<Boolean>>of(
                    () -> Thread.currentThread() == caller, () -> Thread.currentThread() == caller)));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
