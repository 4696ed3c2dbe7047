package io.vaultkeep.engine.source;

import io.vaultkeep.storage.repository.BackupSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A vault handed over by the embedding service. It keeps the newest pushed vault in memory (with
 * its attachment sources) until the next push, and outlives the account's actor incarnations, so a
 * push made while the account is restarting is not lost: {@link #start} reports it.
 */
public final class PushVaultSource implements VaultSource, VaultSource.Factory {

    private record Pushed(String revision, BackupSource vault) {}

    private final AtomicReference<Pushed> latest = new AtomicReference<>();
    private volatile Listener listener;

    /** Every incarnation of the account shares this one source. */
    @Override
    public VaultSource create() {
        return this;
    }

    /** Hands over a vault; @return its revision (a digest of the vault and its attachments' identities) */
    public String push(BackupSource vault) {
        String revision = revisionOf(vault);
        latest.set(new Pushed(revision, vault));
        Listener current = listener;
        if (current != null) {
            current.onChange(revision);
        }
        return revision;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        Pushed pushed = latest.get();
        if (pushed != null) {
            listener.onChange(pushed.revision());
        }
    }

    @Override
    public void stop() {
        listener = null;
    }

    @Override
    public BackupSource fetch() throws VaultSourceException {
        Pushed pushed = latest.get();
        if (pushed == null) {
            throw new VaultSourceException("no vault has been pushed for this account yet");
        }
        return pushed.vault();
    }

    private static String revisionOf(BackupSource vault) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(vault.vaultJson());
            for (BackupSource.AttachmentSource attachment : vault.attachments()) {
                sha.update((attachment.fingerprint() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
