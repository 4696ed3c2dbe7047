package io.vaultkeep.testserver.bitwarden;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Bitwarden's timestamps: ISO-8601 UTC with microseconds and a Z. */
final class Dates {
    private Dates() {}

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
    }
}
