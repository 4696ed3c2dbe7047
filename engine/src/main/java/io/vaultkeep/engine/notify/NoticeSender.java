package io.vaultkeep.engine.notify;

import java.io.IOException;

/** Sends a notice to one target, once; {@link Deliveries} retries. */
@FunctionalInterface
public interface NoticeSender {

    /** @throws IOException saying why the target did not take it (never with a secret in the message) */
    void send(Notice notice) throws IOException, InterruptedException;
}
