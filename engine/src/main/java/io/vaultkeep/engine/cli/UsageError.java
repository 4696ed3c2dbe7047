package io.vaultkeep.engine.cli;

/**
 * Options that do not go together, or one that is missing for what the others ask: a usage error
 * (exit 2, one line naming the command's help), found only once the command runs.
 */
final class UsageError extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
