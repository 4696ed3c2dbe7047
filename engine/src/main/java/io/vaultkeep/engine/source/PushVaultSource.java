package io.vaultkeep.engine.source;

import io.vaultkeep.storage.repository.FetchedVault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Vaults handed over by the embedding service. It keeps the newest pushed vault in memory (with its
 * attachment sources) until the next push, and outlives the account's actor incarnations: each
 * incarnation gets its own {@link VaultSource} view, which reports a push made before it started,
 * and whose stop never silences another incarnation's view.
 */
public final class PushVaultSource implements VaultSource.Factory {

    private record Pushed(String revision, FetchedVault vault) {}

    private final AtomicReference<Pushed> latest = new AtomicReference<>();
    private final Set<VaultSource.Listener> listeners = new CopyOnWriteArraySet<>();

    @Override
    public VaultSource create(SourceScheduling scheduling) {
        return new View();
    }

    /** Hands over a vault; @return its revision (a digest of the vault and its attachments' identities) */
    public String push(FetchedVault vault) {
        String revision = revisionOf(vault);
        latest.set(new Pushed(revision, vault));
        listeners.forEach(listener -> listener.onChange(revision));
        return revision;
    }

    private final class View implements VaultSource {
        private volatile Listener listener;

        @Override
        public void start(Listener listener) {
            this.listener = listener;
            listeners.add(listener);
            Pushed pushed = latest.get();
            if (pushed != null) {
                listener.onChange(pushed.revision());
            }
        }

        @Override
        public void stop() {
            Listener own = listener;
            if (own != null) {
                listeners.remove(own);
            }
        }

        @Override
        public FetchedVault fetch() throws VaultSourceException {
            Pushed pushed = latest.get();
            if (pushed == null) {
                throw new VaultSourceException("no vault has been pushed for this account yet");
            }
            return pushed.vault();
        }
    }

    private static String revisionOf(FetchedVault vault) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(vault.vaultJson());
            for (FetchedVault.AttachmentSource attachment : vault.attachments()) {
                sha.update((attachment.fingerprint() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
