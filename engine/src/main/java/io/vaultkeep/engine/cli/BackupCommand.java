package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.source.ExportDecoder;
import io.vaultkeep.engine.source.ExportFileVault;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.BackupSource;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SourceConfig;
import io.vaultkeep.engine.source.bitwarden.BitwardenSource;
import io.vaultkeep.engine.source.bitwarden.BitwardenSources;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", description = {
        "Write one snapshot from a Bitwarden export (bw export --format json, or encrypted_json) and its",
        "attachments, or from a live account (--bitwarden-server: one sync). Creates the repository first",
        "when the location has none."})
final class BackupCommand extends RepositoryCommand {

    @Option(names = "--from", paramLabel = "FILE",
            description = "The Bitwarden export: json, or encrypted_json (password-protected or account-restricted).")
    Path from;

    @Option(names = "--bitwarden-server", paramLabel = "URL",
            description = "Back up a live Bitwarden or Vaultwarden account instead (with --email and the API key options).")
    String bitwardenServer;

    @Option(names = "--client-id-env", paramLabel = "NAME", description = "--bitwarden-server: the personal API key's client_id.")
    String clientIdEnv;

    @Option(names = "--client-secret-env", paramLabel = "NAME", description = "--bitwarden-server: the personal API key's client_secret.")
    String clientSecretEnv;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "decrypt",
            description = "--bitwarden-server: decrypt (needs --master-password-env) or sealed (the vault stays encrypted; restore asks for the master password).")
    String mode;

    @Option(names = "--bitwarden-ca-file", paramLabel = "FILE",
            description = "--bitwarden-server: a PEM file of CA certificates to trust besides the system's.")
    Path bitwardenCaFile;

    @picocli.CommandLine.Mixin
    ExportSecretsOptions exportSecrets;

    @Option(names = "--attachments", paramLabel = "DIR",
            description = "Attachment files, laid out <itemId>/<fileName> (as in bw export --format zip).")
    Path attachments;

    @Option(names = "--account", paramLabel = "ID", defaultValue = "default",
            description = "The account the vault belongs to; part of each attachment's fingerprint (default: ${DEFAULT-VALUE}).")
    String account;

    @Option(names = "--no-attachments", description = "Store the vault only; attachments are neither stored nor counted.")
    boolean noAttachments;

    @Option(names = "--keep", paramLabel = "N",
            description = "After the snapshot, apply retention keeping at most N snapshots (0: never prune).")
    Integer keep;

    @Override
    public Integer call() throws Exception {
        if ((from == null) == (bitwardenServer == null)) {
            throw new IllegalArgumentException("give either --from FILE (an export) or --bitwarden-server URL (a live account)");
        }
        BitwardenSource live = bitwardenServer == null ? null : liveSource();
        try {
            return backup(live != null ? live.fetch() : fromFile());
        } finally {
            if (live != null) {
                live.stop();
            }
        }
    }

    private BackupSource fromFile() throws Exception {
        byte[] plainJson = ExportDecoder.toPlainJson(ExportFileVault.readFile(from), from, exportSecrets);
        return ExportFileVault.fromJson(plainJson, from, attachments, account, !noAttachments);
    }

    /** The same source the host polls, used for one sync. */
    private BitwardenSource liveSource() throws Exception {
        if (attachments != null) {
            throw new IllegalArgumentException("--attachments applies to --from; a live account's attachments are downloaded");
        }
        BitwardenSource.Mode chosen = switch (mode) {
            case "decrypt" -> BitwardenSource.Mode.DECRYPT;
            case "sealed" -> BitwardenSource.Mode.SEALED;
            default -> throw new IllegalArgumentException("--mode must be decrypt or sealed, not " + mode);
        };
        if (exportSecrets.email == null) {
            throw new IllegalArgumentException("--bitwarden-server needs --email");
        }
        if ((clientIdEnv == null) != (clientSecretEnv == null)) {
            throw new IllegalArgumentException("an API key is --client-id-env and --client-secret-env together");
        }
        if (chosen == BitwardenSource.Mode.SEALED && clientIdEnv == null) {
            throw new IllegalArgumentException("sealed mode logs in with the personal API key: give --client-id-env and --client-secret-env");
        }
        if (chosen == BitwardenSource.Mode.SEALED && exportSecrets.masterPasswordEnv != null) {
            throw new IllegalArgumentException("sealed mode never takes the master password (restore asks for it): drop --master-password-env");
        }
        if (chosen == BitwardenSource.Mode.DECRYPT && exportSecrets.masterPasswordEnv == null) {
            throw new IllegalArgumentException("decrypt mode needs --master-password-env NAME (or use --mode sealed)");
        }
        java.net.URI server;
        try {
            server = SourceConfig.Bitwarden.checkedServer(bitwardenServer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bitwarden-server " + e.getMessage());
        }
        VaultKeepCli cli = VaultKeepCli.of(spec);
        Optional<Secret> clientId = clientIdEnv == null ? Optional.empty() : Optional.of(secret(cli, "--client-id-env", clientIdEnv));
        Optional<Secret> clientSecret = clientSecretEnv == null ? Optional.empty()
                : Optional.of(secret(cli, "--client-secret-env", clientSecretEnv));
        Optional<Secret> master = chosen == BitwardenSource.Mode.DECRYPT
                ? Optional.of(secret(cli, "--master-password-env", exportSecrets.masterPasswordEnv)) : Optional.empty();
        SourceConfig.Bitwarden config = new SourceConfig.Bitwarden(server, exportSecrets.email.trim(), clientId, clientSecret, master,
                chosen, SourceConfig.Bitwarden.DEFAULT_POLL_INTERVAL, Optional.ofNullable(bitwardenCaFile));
        try {
            return BitwardenSources.create(account, config, !noAttachments);
        } finally {
            clientId.ifPresent(Secret::wipe);
            clientSecret.ifPresent(Secret::wipe);
            master.ifPresent(Secret::wipe);
        }
    }

    private static Secret secret(VaultKeepCli cli, String option, String variable) {
        char[] value = cli.secretFromEnvironment(option, variable);
        try {
            return Secret.of("environment variable " + variable, value);
        } finally {
            Arrays.fill(value, '\0');
        }
    }

    private Integer backup(BackupSource source) throws Exception {
        try (ObjectStore store = location.open();
             BackupRepository repository = password.openOrCreate(store);
             WriterLock.Holding lock = lockFor(repository, "backup")) {
            BackupRun.Committed run = repository.backup(source);
            var s = run.stats();
            out().printf("snapshot %s committed (index generation %d): %d items, %d attachments (%d new blobs, %d reused, %d skipped)%n",
                    run.snapshotId(), run.generation(), s.cipherCount(), s.attachmentCount(), s.newBlobCount(),
                    s.reusedBlobCount(), s.skippedAttachmentCount());
            if (keep != null) {
                PrunePlan plan = repository.planPrune(keep, repository.now());
                var result = repository.prune(plan);
                out().printf("retention %d: kept %d snapshots, dropped %d (%d blobs deleted)%n", keep,
                        plan.keptSnapshotIds().size(), plan.droppedSnapshotIds().size(), result.deletedBlobs());
            }
        }
        return 0;
    }
}
