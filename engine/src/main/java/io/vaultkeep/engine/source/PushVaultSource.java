package io.vaultkeep.engine.source;

import io.vaultkeep.storage.repository.FetchedVault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Vaults handed over by the embedding service. It keeps the newest pushed vault in memory (with its
 * attachment sources) until the next push — deflated, as an idle account's largest part (a vault's
 * JSON shrinks several times, and it is read again only when a run starts) — and outlives the
 * account's actor incarnations: each incarnation gets its own {@link VaultSource} view, which reports a push made before it started,
 * and whose stop never silences another incarnation's view.
 */
public final class PushVaultSource implements VaultSource.Factory {

    /** The newest push: the vault with its JSON taken out, and that JSON deflated. */
    private record Pushed(String revision, FetchedVault withoutJson, byte[] deflatedJson, int jsonLength) {

        /** What the kept vault has in place of its JSON: one empty array for all (it cannot change). */
        private static final byte[] NO_JSON = new byte[0];

        static Pushed of(String revision, FetchedVault vault) {
            byte[] json = vault.vaultJson();
            ByteArrayOutputStream deflated = new ByteArrayOutputStream(json.length / 4 + 64);
            Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
            try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, deflater)) {
                out.write(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a stream into memory does not fail
            } finally {
                deflater.end();
            }
            return new Pushed(revision, vault.withVaultJson(NO_JSON), deflated.toByteArray(), json.length);
        }

        FetchedVault vault() {
            Inflater inflater = new Inflater(true);
            try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(deflatedJson), inflater)) {
                byte[] json = in.readNBytes(jsonLength);
                if (json.length != jsonLength) {
                    throw new IllegalStateException("the pushed vault inflated to " + json.length + " of its " + jsonLength + " bytes");
                }
                return withoutJson.withVaultJson(json);
            } catch (IOException e) {
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
