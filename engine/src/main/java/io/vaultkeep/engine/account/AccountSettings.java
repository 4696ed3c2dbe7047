package io.vaultkeep.engine.account;

import io.vaultkeep.engine.source.VaultSource;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.util.Objects;

/**
 * What the engine needs to back up one account. Never journaled: it holds the backup password and
 * the means to reach the location. The host registers it in the {@link AccountRegistry}.
 *
 * @param location opens the account's object store, once per run (closed after it)
 * @param backupPassword the repository's password (copied here), or null for a plain repository
 * @param retentionMax snapshots kept by retention; 0 means never prune
 * @param includeAttachments false stores the vault only, whatever the source offers
 * @param source makes the account's vault source
 */
public record AccountSettings(String accountId, LocationOpener location, char[] backupPassword, int retentionMax,
                              boolean includeAttachments, VaultSource.Factory source) {

    /** Opens an account's location. */
    @FunctionalInterface
    public interface LocationOpener {
        ObjectStore open() throws IOException;
    }

    public AccountSettings {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(source, "source");
        if (accountId.isBlank()) {
            throw new IllegalArgumentException("account id must not be blank");
        }
        if (retentionMax < 0) {
            throw new IllegalArgumentException("retention must be 0 (never prune) or positive: " + retentionMax);
        }
        backupPassword = backupPassword == null ? null : backupPassword.clone();
    }

    /** Overwrites this copy of the password; the settings must not be used afterwards. */
    void wipePassword() {
        if (backupPassword != null) {
            java.util.Arrays.fill(backupPassword, '\0');
        }
    }

    @Override
    public String toString() {
        return "AccountSettings[" + accountId + ", " + (backupPassword == null ? "plain" : "encrypted")
                + ", retention " + (retentionMax == 0 ? "never" : retentionMax)
                + (includeAttachments ? ", with attachments" : ", vault only") + "]";
    }
}
