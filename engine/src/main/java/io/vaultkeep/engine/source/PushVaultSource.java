package io.vaultkeep.engine.source;

import io.vaultkeep.storage.repository.FetchedVault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Vaults handed over by the embedding service. It keeps the newest pushed vault in memory (with its
 * attachment sources) until the next push — deflated, as an idle account's largest part (a vault's
 * JSON shrinks several times, and it is read again only when a run starts) — and outlives the account's actor incarnations: each
 * incarnation gets its own {@link VaultSource} view, which reports a push made before it started,
 * and whose stop never silences another incarnation's view.
 */
public final class PushVaultSource implements VaultSource.Factory {

    /** The newest push: the vault with its JSON taken out, and that JSON deflated. */
    private record Pushed(String revision, FetchedVault withoutJson, byte[] deflatedJson, int jsonLength) {

        static Pushed of(String revision, FetchedVault vault) {
            byte[] json = vault.vaultJson();
            Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
            try {
                deflater.setInput(json);
                deflater.finish();
                byte[] out = new byte[json.length + json.length / 1000 + 64]; // enough for data that does not shrink
                int length = deflater.deflate(out);
                if (!deflater.finished()) {
                    throw new IllegalStateException("the pushed vault did not deflate into " + out.length + " bytes");
                }
                FetchedVault rest = new FetchedVault(new byte[0], vault.cipherCount(), vault.includeAttachments(),
                        vault.attachments(), vault.unavailableAttachmentCount(), vault.warnings());
                return new Pushed(revision, rest, java.util.Arrays.copyOf(out, length), json.length);
            } finally {
                deflater.end();
            }
        }

        FetchedVault vault() {
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(deflatedJson);
                byte[] json = new byte[jsonLength];
                int read = 0;
                while (read < jsonLength && !inflater.finished()) {
                    int n = inflater.inflate(json, read, jsonLength - read);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    read += n;
                }
                if (read != jsonLength) {
                    throw new IllegalStateException("the pushed vault inflated to " + read + " of its " + jsonLength + " bytes");
                }
                return new FetchedVault(json, withoutJson.cipherCount(), withoutJson.includeAttachments(),
                        withoutJson.attachments(), withoutJson.unavailableAttachmentCount(), withoutJson.warnings());
            } catch (DataFormatException e) {
                throw new IllegalStateException("the pushed vault, deflated in memory, does not inflate: " + e.getMessage(), e);
            } finally {
                inflater.end();
            }
        }
    }

    private final AtomicReference<Pushed> latest = new AtomicReference<>();
    private final Set<VaultSource.Listener> listeners = new CopyOnWriteArraySet<>();

    @Override
    public VaultSource create(SourceScheduling scheduling) {
        return new View();
    }

    /** Hands over a vault; @return its revision (a digest of the vault and its attachments' identities) */
    public String push(FetchedVault vault) {
        String revision = revisionOf(vault);
        latest.set(Pushed.of(revision, vault));
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

    /** What the newest push keeps of its vault's JSON, in bytes (0 before the first push). */
    int keptJsonBytes() {
        Pushed pushed = latest.get();
        return pushed == null ? 0 : pushed.deflatedJson().length;
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
