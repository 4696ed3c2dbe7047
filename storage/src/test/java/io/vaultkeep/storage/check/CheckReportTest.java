package io.vaultkeep.storage.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CheckReportTest {

    @Test
    void aProblemNamesItsKindInAsciiWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            // Turkish lower-cases I to a dotless ı: "ınconsıstent" is no word a script would look for
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("inconsistent snapshots/a.zip: differs",
                    new CheckReport.Problem(CheckReport.Kind.INCONSISTENT, "snapshots/a.zip", "differs").toString());
            assertEquals("missing blobs/ab/cd/abcd.zip: gone",
                    new CheckReport.Problem(CheckReport.Kind.MISSING, "blobs/ab/cd/abcd.zip", "gone").toString());
        } finally {
            Locale.setDefault(before);
        }
    }
}
