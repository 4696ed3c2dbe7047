package io.vaultkeep.protocol.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The instants a repository document holds, computed from their digits exactly as {@code Instant.parse} reads them. */
class PlainInstantTest {

    @Test
    void agreesWithInstantParseOnEveryFourDigitYearForm() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "1970-01-01T00:00:00Z", "2024-02-29T12:00:00Z", "2026-12-07T04:00:00.5Z", "2026-12-07T04:00:00.05Z",
                "2026-12-07T04:00:00.123456Z", "2026-12-07T04:00:00.000000001Z", "1969-12-31T23:59:59.999Z",
                "2000-02-29T00:00:00Z", "1900-03-01T00:00:00Z"));
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 2_000; i++) {
            Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
            String text = instant.toString();
            texts.add(text);
            // every fraction length, not only the 0, 3, 6 or 9 digits toString writes
            int fraction = random.nextInt(10);
            String seconds = text.substring(0, 19);
            String nanos = String.format("%09d", instant.getNano());
            texts.add(seconds + (fraction == 0 ? "" : "." + nanos.substring(0, fraction)) + "Z");
        }
        for (String text : texts) {
            assertTrue(DocumentReader.isoInstant(text), text);
            assertEquals(Instant.parse(text), DocumentReader.plainInstant(text), text);
        }
    }

    @Test
    void leavesTheRestToInstantParse() {
        for (String text : List.of("2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
                "+2026-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "12026-01-01T00:00:00Z", "+12026-01-01T00:00:00.5Z")) {
            assertNull(DocumentReader.plainInstant(text), text);
        }
    }
}
