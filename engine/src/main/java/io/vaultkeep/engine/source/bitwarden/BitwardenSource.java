package io.vaultkeep.engine.source.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.engine.source.SourceScheduling;
import io.vaultkeep.engine.source.VaultSource;
import io.vaultkeep.engine.source.VaultSourceException;
import io.vaultkeep.engine.source.bitwarden.BitwardenApiException.Kind;
import io.vaultkeep.protocol.bitwarden.api.SyncExport;
import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import io.vaultkeep.protocol.crypto.VaultCryptoException;
import io.vaultkeep.storage.repository.FetchedVault;
import java.io.IOException;
import java.io.InputStream;
import io.vaultkeep.engine.source.SourceCheckListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live Bitwarden or Vaultwarden account as a vault source. It polls the cheap revision date (see
 * {@link PollSchedule}) and reports a change when it moves; {@link #fetch()} syncs and hands over:
 *
 * <ul>
 *   <li>{@link Mode#DECRYPT}: the master password unlocks the vault in memory; the snapshot holds the
 *       plaintext export ({@link SyncExport}) and the attachments decrypted.
 *   <li>{@link Mode#SEALED}: no master password on the host; the snapshot holds the vault as the
 *       server keeps it with its protected key material ({@link SealedVault}) and the attachments as
 *       their encrypted bytes. Restore asks for the master password.
 * </ul>
 *
 * A failed poll is reported as a change, once at the first failure of a streak, so that a run takes
 * place and the account's status shows the failure from the first failed poll on (the run fails as the
 * poll did, and the account's backoff paces the retries); every poll is also told to the
 * {@link SourceCheckListener}, which counts failed polls from the first. A refused API key, a master
 * password that does not open the vault and refused KDF parameters fail the run as needing attention.
 */
public final class BitwardenSource implements VaultSource {

    public enum Mode { DECRYPT, SEALED }

    private static final Logger LOG = LoggerFactory.getLogger(BitwardenSource.class);

    private final String accountId;
    private final BitwardenClient client;
    private final String email;
    private final Mode mode;
    private final Supplier<char[]> masterPassword;
    private final boolean includeAttachments;
    private final PollSchedule schedule;
    private final SourceScheduling scheduling;
    private final SourceCheckListener checks;
    private volatile boolean stopped;
    /**
     * Guards {@link #stopPolling}; not {@code this}, which a poll holds through its request: stopping
     * waited for a hung poll (up to the 60 s request timeout), and so did the hand-over of the
     * account's shard to another node.
     */
    private final Object lifecycle = new Object();
    private Runnable stopPolling;
    private long lastReported = Long.MIN_VALUE;
    private int failures;
    private boolean failureReported;
    private KdfParameters kdf;

    /**
     * @param masterPassword decrypt mode only (null for sealed): a fresh copy per call, which this wipes
     * @param scheduling where polling runs once started: the owning entity's actor system (a one-shot
     *     command that only fetches may give a plain executor)
     */
    public BitwardenSource(String accountId, BitwardenClient client, String email, Mode mode,
                           Supplier<char[]> masterPassword, boolean includeAttachments, PollSchedule schedule,
                           SourceScheduling scheduling) {
        this(accountId, client, email, mode, masterPassword, includeAttachments, schedule, scheduling, SourceCheckListener.NONE);
    }

    /** @param checks told of every poll's outcome */
    public BitwardenSource(String accountId, BitwardenClient client, String email, Mode mode,
                           Supplier<char[]> masterPassword, boolean includeAttachments, PollSchedule schedule,
                           SourceScheduling scheduling, SourceCheckListener checks) {
        if ((mode == Mode.DECRYPT) != (masterPassword != null)) {
            throw new IllegalArgumentException(mode == Mode.DECRYPT ? "decrypt mode needs the master password"
                    : "sealed mode never takes the master password");
        }
        this.accountId = accountId;
        this.client = client;
        this.email = email;
        this.mode = mode;
        this.masterPassword = masterPassword;
        this.includeAttachments = includeAttachments;
        this.schedule = schedule;
        this.scheduling = scheduling;
        this.checks = checks;
    }

    /** Polls as a stream on the owning entity's actor system ({@link PollingStream}) until {@link #stop()}. */
    @Override
    public void start(Listener listener) {
        if (!(scheduling instanceof SourceScheduling.OnActorSystem onSystem)) {
            throw new IllegalStateException(this + " was made for a single fetch: watching runs on an actor system");
        }
        Runnable stop = PollingStream.start(onSystem, this::poll, listener::onChange, () -> stopped, accountId);
        synchronized (lifecycle) {
            stopPolling = stop;
            if (stopped) {
                stop.run();
            }
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            stopped = true;
            if (stopPolling != null) {
                stopPolling.run();
            }
        }
        client.close();
    }

    private PollingStream.PollOutcome poll() {
        if (stopped) {
            return new PollingStream.PollOutcome(null, schedule.interval()); // the kill switch is on its way; the client is closed
        }
        Optional<Duration> retryAfter = Optional.empty();
        String report = null;
        synchronized (this) {
            Instant started = Instant.now();
            String failure = null;
            boolean needsAPerson = false;
            try {
                long revision = client.revisionDate();
                failures = 0;
                failureReported = false;
                if (revision != lastReported) {
                    lastReported = revision;
                    report = Long.toString(revision);
                }
            } catch (BitwardenApiException e) {
                retryAfter = e.retryAfter();
                needsAPerson = needsAPerson(e);
                failure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            }
            Duration took = Duration.between(started, Instant.now());
            if (stopped) {
                // stopped during the request (which the closed client may have failed): nothing to tell
                return new PollingStream.PollOutcome(null, schedule.interval());
            }
            if (failure == null) {
                checks.checked(accountId, started, took);
            } else {
                failures++;
                LOG.warn("account {}: polling failed ({} in a row): {}", accountId, failures, failure);
                checks.checkFailed(accountId, started, took, failure, needsAPerson);
                if (!failureReported) {
                    // from the first failed poll: the run it causes fails as the poll did, so status shows it
                    failureReported = true;
                    lastReported = Long.MIN_VALUE; // the revision after recovery is reported again
                    report = "unavailable-" + System.currentTimeMillis();
                }
            }
            return new PollingStream.PollOutcome(report, schedule.next(failures, retryAfter, ThreadLocalRandom.current().nextDouble()));
        }
    }

    /** A refused key or token, or an answer this client cannot use (a wrong server URL): only new settings help. */
    private static boolean needsAPerson(BitwardenApiException e) {
        return e.kind() == Kind.AUTHENTICATION || e.kind() == Kind.PROTOCOL;
    }

    @Override
    public FetchedVault fetch() throws IOException {
        try {
            JsonNode sync = client.sync();
            return mode == Mode.SEALED ? sealed(sync) : decrypted(sync);
        } catch (BitwardenApiException e) {
            if (needsAPerson(e)) {
                throw new VaultSourceException(e.getMessage(), true, e);
            }
            throw e;
        }
    }

    private FetchedVault sealed(JsonNode sync) throws IOException {
        SealedVault vault = SealedVault.fromSync(sync, kdf());
        List<FetchedVault.AttachmentSource> attachments = new ArrayList<>();
        if (includeAttachments) {
            for (JsonNode cipher : sync.path("ciphers")) {
                if (cipher.hasNonNull("deletedDate")) {
                    continue;
                }
                String cipherId = cipher.path("id").asText();
                for (JsonNode a : cipher.path("attachments")) {
                    String attachmentId = a.path("id").asText();
                    // the real name is encrypted; restore takes it from the opened vault
                    attachments.add(new FetchedVault.AttachmentSource(accountId, cipherId, cipherId, attachmentId,
                            attachmentId + ".encrypted", sizeOf(a),
                            () -> client.openAttachment(cipherId, attachmentId)));
                }
            }
        }
        return new FetchedVault(vault.toBytes(), vault.itemCount(), includeAttachments, attachments, 0);
    }

    private FetchedVault decrypted(JsonNode sync) throws IOException {
        JsonNode profile = sync.path("profile");
        Map<String, String> orgKeys = new LinkedHashMap<>();
        profile.path("organizations").forEach(o -> orgKeys.put(o.path("id").asText(), o.path("key").asText()));
        KdfParameters parameters = kdf();
        char[] password = masterPassword.get();
        UserKeyChain keys;
        try {
            MasterKey masterKey = MasterKey.forAccount(password, email, parameters);
            try {
                keys = UserKeyChain.unlock(masterKey, profile.path("key").asText(),
                        profile.hasNonNull("privateKey") ? profile.get("privateKey").asText() : null, orgKeys);
            } finally {
                masterKey.destroy();
            }
        } catch (VaultCryptoException e) {
            throw new VaultSourceException("the master password does not unlock " + email + "'s vault (" + e.getClass().getSimpleName()
                    + "); after a master password change, update the variable that holds it", true, null);
        } finally {
            Arrays.fill(password, '\0');
        }
        SyncExport.Result export;
        try {
            export = SyncExport.convert(sync, keys);
        } catch (VaultCryptoException e) {
            throw new VaultSourceException("the vault of " + email + " cannot be decrypted: " + e.getMessage());
        } finally {
            keys.destroy();
        }
        List<FetchedVault.AttachmentSource> attachments = new ArrayList<>();
        if (includeAttachments) {
            for (SyncExport.AttachmentRef a : export.attachments()) {
                // the server's size is that of the encrypted file; the decrypted one is known once read
                attachments.add(new FetchedVault.AttachmentSource(accountId, a.cipherId(), a.cipherId(), a.attachmentId(),
                        a.fileName(), null, () -> decrypting(a)));
            }
        }
        return new FetchedVault(export.exportJson(), export.itemCount(), includeAttachments, attachments, 0);
    }

    /**
     * An attachment's plaintext without holding it in memory: the download's MAC is verified while
     * its ciphertext spools to a private unlinked file, then it decrypts from there as it is read.
     */
    private InputStream decrypting(SyncExport.AttachmentRef a) throws IOException {
        try (InputStream download = client.openAttachment(a.cipherId(), a.attachmentId())) {
            return AttachmentSpool.decrypting(download, a.key(), null, "attachment " + a.attachmentId());
        }
    }

    /** From prelogin, once per incarnation: abusive parameters are refused before any derivation. */
    private synchronized KdfParameters kdf() throws IOException {
        if (kdf == null) {
            try {
                kdf = client.prelogin(email);
            } catch (VaultCryptoException e) {
                throw new VaultSourceException("the server states KDF parameters this engine refuses for " + email + ": "
                        + e.getMessage(), true, null);
            }
        }
        return kdf;
    }

    private static Long sizeOf(JsonNode attachment) {
        try {
            return attachment.hasNonNull("size") ? Long.valueOf(attachment.get("size").asText()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "BitwardenSource(" + accountId + ", " + mode + ")";
    }
}
