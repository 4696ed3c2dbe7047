package io.vaultkeep.protocol.repository;

import java.io.IOException;

/** A repository document that decrypts and inflates but does not parse or does not make sense. */
public final class MalformedDocumentException extends IOException {
    public MalformedDocumentException(String message) {
        super(message);
    }

    public MalformedDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
