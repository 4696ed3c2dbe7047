package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocationRetryTest {

    @Test
    void anUnreachableLocationIsTriedAgainAfterDoublingWaitsUpToTheCap() {
        VaultKeepHost.LocationRetry retry = VaultKeepHost.LocationRetry.DEFAULT;
        List<Long> seconds = IntStream.rangeClosed(1, 7).mapToObj(n -> retry.after(n).toSeconds()).toList();
        assertEquals(List.of(30L, 60L, 120L, 240L, 300L, 300L, 300L), seconds);
        assertEquals(Duration.ofMinutes(5), retry.after(10_000), "no overflow after many failures");
    }
}
