package io.vaultkeep.engine.account;

import io.vaultkeep.engine.source.VaultSourceException;
import io.vaultkeep.storage.archive.ArchiveException;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.repository.DamagedIndexException;
import io.vaultkeep.storage.repository.PasswordModeException;
import io.vaultkeep.storage.repository.RepositoryException;
import io.vaultkeep.storage.store.LocationFullException;
import io.vaultkeep.storage.store.LocationUnfitException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what a step threw into a {@link FailureKind} and a message fit for status and journal.
 * Storage and sources never put secrets in their messages; this only picks the kind and trims.
 */
public final class FailureClassifier {

    private static final int MAX_MESSAGE = 500;

    private FailureClassifier() {}

    public record Failure(FailureKind kind, String message) {}

    public static Failure classify(Throwable thrown) {
        Throwable t = unwrap(thrown);
        FailureKind kind;
        if (t instanceof LocationFullException) {
            kind = FailureKind.LOCATION_FULL;
        } else if (t instanceof LocationUnfitException) {
            kind = FailureKind.LOCATION_UNFIT;
        } else if (t instanceof WrongPasswordException || t instanceof PasswordModeException) {
            kind = FailureKind.WRONG_PASSWORD;
        } else if (t instanceof VaultSourceException source) {
            kind = source.needsAttention() ? FailureKind.SOURCE_REFUSED : FailureKind.SOURCE_UNAVAILABLE;
        } else if (t instanceof DamagedIndexException) {
            kind = FailureKind.REPOSITORY_DAMAGED;
        } else if (t instanceof RepositoryException || t instanceof ArchiveException) {
            kind = FailureKind.REPOSITORY_UNUSABLE;
        } else if (t instanceof IOException) {
            kind = FailureKind.LOCATION_UNAVAILABLE;
        } else {
            kind = FailureKind.INTERNAL;
        }
        return new Failure(kind, messageOf(t));
    }

    /** A failure of the vault source, whatever it threw. */
    public static Failure ofSource(Throwable thrown) {
        Throwable t = unwrap(thrown);
        Failure failure = classify(t);
        return failure.kind() == FailureKind.INTERNAL || failure.kind() == FailureKind.SOURCE_REFUSED ? failure
                : new Failure(FailureKind.SOURCE_UNAVAILABLE, failure.message());
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String messageOf(Throwable t) {
        String message = t.getMessage();
        String text = message == null || message.isBlank() ? t.getClass().getSimpleName()
                : t instanceof IOException ? message : t.getClass().getSimpleName() + ": " + message;
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
