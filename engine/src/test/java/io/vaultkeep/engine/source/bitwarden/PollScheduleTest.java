package io.vaultkeep.engine.source.bitwarden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.protocol.crypto.InvalidKdfParametersException;
import io.vaultkeep.protocol.crypto.KdfParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void pollsSpreadWithinTheJitterAroundTheInterval() {
        PollSchedule schedule = PollSchedule.every(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(27), schedule.next(0, Optional.empty(), 0.0));
        assertEquals(Duration.ofSeconds(30), schedule.next(0, Optional.empty(), 0.5));
        assertEquals(Duration.ofMillis(32_994), schedule.next(0, Optional.empty(), 0.999));
    }

    @Test
    void failuresDoubleTheWaitUpToTheCapAndRetryAfterIsNeverCutShort() {
        PollSchedule schedule = PollSchedule.every(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(60), schedule.next(1, Optional.empty(), 0.5));
        assertEquals(Duration.ofSeconds(120), schedule.next(2, Optional.empty(), 0.5));
        assertEquals(Duration.ofMinutes(10), schedule.next(30, Optional.empty(), 0.5));
        assertEquals(Duration.ofMinutes(15), schedule.next(1, Optional.of(Duration.ofMinutes(15)), 0.5), "the server's wish wins");
        assertEquals(Duration.ofSeconds(60), schedule.next(1, Optional.of(Duration.ofSeconds(5)), 0.5), "but never shortens our backoff");
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Sun, 22 Nov 2026 12:01:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sun, 22 Nov 2026 11:00:00 GMT", NOW), "a date in the past");
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
    }

    @Test
    void aZeroOrNegativeIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PollSchedule.every(Duration.ZERO));
    }

    @Test
    void preloginAnswersOfEveryShapeGiveTheKdfAndAbusiveOnesAreRefusedBeforeAnyWork() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(KdfParameters.argon2id(3, 64, 4), BitwardenClient.preloginKdf(json.readTree(
                "{\"kdfSettings\":{\"kdfType\":1,\"iterations\":3,\"memory\":64,\"parallelism\":4},\"salt\":\"a@b.c\"}")));
        assertEquals(KdfParameters.pbkdf2(600_000), BitwardenClient.preloginKdf(json.readTree(
                "{\"kdf\":0,\"kdfIterations\":600000,\"kdfMemory\":null,\"kdfParallelism\":null}")));
        assertEquals(KdfParameters.pbkdf2(100_000), BitwardenClient.preloginKdf(json.readTree("{\"Kdf\":0,\"KdfIterations\":100000}")));
        InvalidKdfParametersException abusive = assertThrows(InvalidKdfParametersException.class, () -> BitwardenClient.preloginKdf(
                json.readTree("{\"kdf\":1,\"kdfIterations\":10000,\"kdfMemory\":1024,\"kdfParallelism\":16}")));
        assertTrue(abusive.getMessage().contains("too large"), abusive.getMessage());
        assertThrows(BitwardenApiException.class, () -> BitwardenClient.preloginKdf(json.readTree("{}")));
    }
}
