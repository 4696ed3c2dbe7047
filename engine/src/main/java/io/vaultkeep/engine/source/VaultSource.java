package io.vaultkeep.engine.source;

import io.vaultkeep.storage.repository.FetchedVault;
import java.io.IOException;

/**
 * Where an account's vault comes from. A source tells its listener when the vault may have changed
 * (with a revision that differs whenever the content may differ) and hands over the current vault
 * on {@link #fetch()}. The engine calls {@code start} once per incarnation of the account, and
 * {@code stop} when it ends; {@code fetch} runs on the blocking dispatcher.
 */
public interface VaultSource {

    /** Told about changes; may be called from any thread. */
    @FunctionalInterface
    interface Listener {
        void onChange(String revision);
    }

    /**
     * Makes a source for one incarnation of an account (a push source may hand out itself), running
     * its timers and blocking work on {@code scheduling}: the owning entity's actor system.
     */
    @FunctionalInterface
    interface Factory {
        VaultSource create(SourceScheduling scheduling) throws IOException;
    }

    /** Starts reporting; a source that already has a vault reports its revision right away. */
    void start(Listener listener);

    void stop();

    /** The vault as it is now. @throws VaultSourceException when there is none to take */
    FetchedVault fetch() throws IOException;
}
