package io.vaultkeep.storage.check;

import java.util.List;

/** What {@code check} found: every problem names the object by its path in the repository. */
public record CheckReport(List<Problem> problems, int indexesRead, int snapshotsChecked, int blobsChecked, boolean dataRead) {

    public CheckReport {
        problems = List.copyOf(problems);
    }

    public enum Kind { MISSING, CORRUPT, ORPHANED, INCONSISTENT }

    public record Problem(Kind kind, String path, String detail) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + " " + path + ": " + detail;
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
