package io.vaultkeep.engine.cli;

import java.io.IOException;

/**
 * The backup password does not open {@code repo.zip}. Told apart from an object deeper in the
 * repository that its key does not open (damage), which storage reports with the same exception type.
 */
final class WrongBackupPasswordException extends IOException {

    private static final long serialVersionUID = 1L;

    WrongBackupPasswordException(IOException wrong) {
        super(wrong.getMessage(), wrong);
    }
}
