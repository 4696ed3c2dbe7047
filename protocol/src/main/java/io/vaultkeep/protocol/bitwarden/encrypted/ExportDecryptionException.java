package io.vaultkeep.protocol.bitwarden.encrypted;

import java.io.IOException;

/**
 * An encrypted export could not be opened. The reason separates a wrong password (or key) from a
 * damaged file, an unsupported form and refused parameters; messages name fields, never values.
 */
public final class ExportDecryptionException extends IOException {

    public enum Reason {
        /** The password or key does not open the export's validation value. */
        WRONG_PASSWORD,
        /** The key is right, but a field's MAC or padding fails: the file was damaged or edited. */
        DAMAGED,
        /** A form of export this code recognises but does not read (V2 / COSE). */
        UNSUPPORTED,
        /** Not an encrypted export of the expected kind, or fields missing or malformed. */
        MALFORMED,
        /** KDF parameters below Bitwarden's minima or above this host's limits: refused before any work. */
        REFUSED_PARAMETERS
    }

    private final Reason reason;

    public ExportDecryptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
