package io.vaultkeep.engine.host;

/** The status endpoint is up but the engine is still starting: the endpoint answers 503 until it is. */
public final class HostStartingException extends IllegalStateException {

    public HostStartingException() {
        super("the host is starting");
    }
}
