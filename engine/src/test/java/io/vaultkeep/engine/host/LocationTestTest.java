package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.LocationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationTestTest {

    @TempDir
    Path temp;

    @Test
    void aWritableFolderPassesAndLeavesNoProbeBehind() throws IOException {
        Path folder = temp.resolve("repo");

        assertInstanceOf(LocationTest.Passed.class, LocationTest.of(new LocationConfig.Folder(folder)));
        try (var probes = Files.list(folder.resolve("health-check"))) {
            assertEquals(0, probes.count());
        }
    }

    @Test
    void aFolderThatCannotHoldTheProbeFailsAtTheStepThatWentWrong() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("repo"));
        Files.writeString(folder.resolve("health-check"), "a file where the probes' folder belongs");

        LocationTest test = LocationTest.of(new LocationConfig.Folder(folder));

        LocationTest.Failed failed = assertInstanceOf(LocationTest.Failed.class, test);
        assertTrue(failed.reason().startsWith("location test failed at folder " + folder.toRealPath() + ": create: "), failed.reason());
    }

    @Test
    void aLocationThatCannotBeOpenedIsUnreachableNotFailed() throws IOException {
        Path notAFolder = Files.writeString(temp.resolve("plain-file"), "x");

        LocationTest test = LocationTest.of(new LocationConfig.Folder(notAFolder.resolve("repo")));

        LocationTest.Unreachable unreachable = assertInstanceOf(LocationTest.Unreachable.class, test);
        assertTrue(unreachable.reason().startsWith("location " + notAFolder.resolve("repo")), unreachable.reason());
        assertTrue(unreachable.reason().contains("cannot be opened"), unreachable.reason());
    }

    @Test
    void manyLocationsAreTestedAtOnceAndAdmittedInTheGivenOrder() throws IOException {
        int parallel = 4;
        // every test waits until all four have begun: one tester at a time would never get there
        CountDownLatch allBegun = new CountDownLatch(parallel);
        List<Integer> accounts = IntStream.range(0, 12).boxed().toList();
        List<Integer> admitted = new ArrayList<>();
        List<LocationTest> outcomes = new ArrayList<>();

        LocationTest.testAll(accounts, account -> {
            allBegun.countDown();
            try {
                if (!allBegun.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the locations were not tested at once");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new LocationConfig.Folder(temp.resolve("repo-" + account));
        }, parallel, (account, test) -> {
            admitted.add(account);
            outcomes.add(test);
        });

        assertEquals(accounts, admitted);
        outcomes.forEach(test -> assertInstanceOf(LocationTest.Passed.class, test));
    }

    @Test
    void aTestThatThrowsStopsTheStartWithItsException() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> LocationTest.testAll(List.of("a", "b"),
                account -> {
                    throw new IllegalStateException("a bug in " + account);
                }, 2, (account, test) -> {}));

        assertEquals("a bug in a", thrown.getMessage());
    }

    @Test
    void noAccountsNeedNoTesters() throws IOException {
        List<String> admitted = new ArrayList<>();

        LocationTest.testAll(List.<String>of(), account -> new LocationConfig.Folder(temp), 8, (account, test) -> admitted.add(account));

        assertEquals(List.of(), admitted);
    }
}
