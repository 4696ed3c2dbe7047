package io.vaultkeep.storage.check;

import java.util.List;

/**
 * What {@code check} found: every problem names the object by its path in the repository; notes
 * are what a healthy repository may show (heads merged on read, unreadable superseded history).
 */
public record CheckReport(List<Problem> problems, List<String> notes, int indexesRead, int snapshotsChecked,
                          int blobsChecked, boolean dataRead) {

    public CheckReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public enum Kind { MISSING, CORRUPT, ORPHANED, INCONSISTENT }

    public record Problem(Kind kind, String path, String detail) {
        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + path + ": " + detail;
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
