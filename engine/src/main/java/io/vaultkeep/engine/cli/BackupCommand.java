package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.source.ExportDecoder;
import io.vaultkeep.engine.source.ExportFileVault;
import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SourceConfig;
import io.vaultkeep.engine.source.SourceScheduling;
import io.vaultkeep.engine.source.bitwarden.BitwardenSource;
import io.vaultkeep.engine.source.bitwarden.BitwardenSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", header = "Write one snapshot from a Bitwarden export or from a live account.", description = {
        "Write one snapshot from a Bitwarden export (bw export --format json, or encrypted_json) and its",
        "attachments, or from a live account (--bitwarden-server: one sync). Creates the repository first",
        "when the location has none."})
final class BackupCommand extends RepositoryCommand {

    @picocli.CommandLine.Mixin
    LockWaitOption lockWait;

    @Option(names = "--from", paramLabel = "FILE",
            description = "The Bitwarden export: json, or encrypted_json (password-protected or account-restricted).")
    Path from;

    @Option(names = "--bitwarden-server", paramLabel = "URL",
            description = "Back up a live Bitwarden or Vaultwarden account instead (with --email and the API key options).")
    String bitwardenServer;

    @Option(names = "--client-id-env", paramLabel = "NAME", description = "--bitwarden-server: the personal API key's client_id.")
    String clientIdEnv;

    @Option(names = "--client-id-file", paramLabel = "FILE", description = "Or: the client_id from FILE.")
    Path clientIdFile;

    @Option(names = "--client-secret-env", paramLabel = "NAME", description = "--bitwarden-server: the personal API key's client_secret.")
    String clientSecretEnv;

    @Option(names = "--client-secret-file", paramLabel = "FILE", description = "Or: the client_secret from FILE.")
    Path clientSecretFile;

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

    @Option(names = "--force", description = "Commit a snapshot even when the newest one already holds exactly this vault and its attachments.")
    boolean force;

    @Option(names = "--no-attachments", description = "Store the vault only; attachments are neither stored nor counted.")
    boolean noAttachments;

    @Option(names = "--keep", paramLabel = "N",
            description = "After the snapshot, apply retention keeping at most N snapshots (0: never prune).")
    Integer keep;

    @Option(names = "--json", description = "Print the outcome as JSON (see README for its shape).")
    boolean json;

    /**
     * The {@code --json} document: {@code snapshot} is the one committed, or null when the newest
     * one ({@code unchangedSince}) already held this vault; {@code retention} is null without --keep.
     */
    record Report(Committed snapshot, String unchangedSince, Retention retention, List<String> warnings) {}

    record Committed(String id, long generation, int items, int attachments, int newBlobs, int reusedBlobs, int skippedAttachments) {}

    record Retention(int keep, List<String> kept, List<String> dropped, int deletedBlobs) {}

    @picocli.CommandLine.Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() throws Exception {
        if ((from == null) == (bitwardenServer == null)) {
            throw new UsageError("give either --from FILE (an export) or --bitwarden-server URL (a live account)");
        }
        List<Secret> secrets = new ArrayList<>();
        try {
            BitwardenSource live = bitwardenServer == null ? null : liveSource(secrets);
            try {
                return backup(live != null ? live.fetch() : fromFile());
            } finally {
                if (live != null) {
                    live.stop();
                }
            }
        } finally {
            // the source reads the master password while it fetches (login and unlock), so it lives until then
            secrets.forEach(Secret::wipe);
        }
    }

    private FetchedVault fromFile() throws Exception {
        ExportDecoder.PlainJson plainJson = ExportDecoder.decode(ExportFileVault.readFile(from), from, exportSecrets);
        return ExportFileVault.fromJson(plainJson, from, attachments, account, !noAttachments);
    }

    /** The same source the host polls, used for one sync. */
    private BitwardenSource liveSource(List<Secret> secrets) throws Exception {
        if (attachments != null) {
            throw new UsageError("--attachments applies to --from; a live account's attachments are downloaded");
        }
        BitwardenSource.Mode chosen = switch (mode) {
            case "decrypt" -> BitwardenSource.Mode.DECRYPT;
            case "sealed" -> BitwardenSource.Mode.SEALED;
            default -> throw new UsageError("--mode must be decrypt or sealed, not " + mode);
        };
        if (exportSecrets.email == null) {
            throw new UsageError("--bitwarden-server needs --email");
        }
        SecretOption clientIdOption = new SecretOption("--client-id", clientIdEnv, clientIdFile);
        SecretOption clientSecretOption = new SecretOption("--client-secret", clientSecretEnv, clientSecretFile);
        SecretOption masterOption = exportSecrets.masterPassword();
        if (clientIdOption.given() != clientSecretOption.given()) {
            throw new UsageError("an API key is --client-id-env and --client-secret-env (or their -file twins) together");
        }
        if (chosen == BitwardenSource.Mode.SEALED && !clientIdOption.given()) {
            throw new UsageError("sealed mode logs in with the personal API key: give --client-id-env and --client-secret-env "
                    + "(or their -file twins)");
        }
        if (chosen == BitwardenSource.Mode.SEALED && masterOption.given()) {
            throw new UsageError("sealed mode never takes the master password (restore asks for it): drop " + masterOption.options());
        }
        if (chosen == BitwardenSource.Mode.DECRYPT && !masterOption.given()) {
            throw new UsageError("decrypt mode needs --master-password-env NAME or --master-password-file FILE (or use --mode sealed)");
        }
        java.net.URI server;
        try {
            server = SourceConfig.Bitwarden.checkedServer(bitwardenServer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bitwarden-server " + e.getMessage());
        }
        CommandLineRoot cli = CommandLineRoot.of(spec);
        Optional<Secret> clientId = secret(cli, clientIdOption, secrets);
        Optional<Secret> clientSecret = secret(cli, clientSecretOption, secrets);
        Optional<Secret> master = secret(cli, masterOption, secrets);
        SourceConfig.Bitwarden config = new SourceConfig.Bitwarden(server, exportSecrets.email.trim(), clientId, clientSecret, master,
                chosen, SourceConfig.Bitwarden.DEFAULT_POLL_INTERVAL, Optional.ofNullable(bitwardenCaFile));
        // one fetch on this thread: the command never starts Pekko, and never starts the source's polling
        return BitwardenSources.create(account, config.account(), !noAttachments, SourceScheduling.fetchOnly());
    }

    /** The secret when its option was given, recorded in {@code secrets} so the caller wipes it when done. */
    private static Optional<Secret> secret(CommandLineRoot cli, SecretOption option, List<Secret> secrets) {
        Optional<Secret> secret = Optional.ofNullable(option.secret(cli));
        secret.ifPresent(secrets::add);
        return secret;
    }

    private Integer backup(FetchedVault whole) throws Exception {
        // attachments are the long part of a backup: the line counts them as they are read
        Progress progress = progressOptions.start("backup", json);
        FetchedVault source = AttachmentProgress.counting(whole, progress);
        try {
            return backup(source, progress);
        } finally {
            progress.finish();
        }
    }

    private Integer backup(FetchedVault source, Progress progress) throws Exception {
        return location.withStore(store -> {
            try (BackupRepository repository = password.openOrCreate(store);
                 WriterLock.Holding lock = lockFor(repository, "backup", lockWait)) {
                BackupRepository.Outcome outcome = force ? new BackupRepository.Outcome(repository.backup(source), null)
                        : repository.backupUnlessUnchanged(source);
                progress.finish();
                List<String> warnings = new ArrayList<>(source.warnings());
                BackupRun.Committed run = outcome.committed();
                if (run != null) {
                    warnings.addAll(run.damagedBlobs());
                }
                warnings.forEach(warning -> err().println("vaultkeep: warning: " + warning));
                if (run == null) {
                    if (json) {
                        printJson(new Report(null, outcome.unchangedSince(), null, warnings));
                    } else {
                        out().printf("unchanged: the newest snapshot %s holds exactly this vault and its attachments; nothing committed"
                                + " (--force commits another)%n", outcome.unchangedSince());
                    }
                    return 0;
                }
                var s = run.stats();
                if (!json) {
                    // said before retention runs, so a failing prune still leaves the commit on record
                    out().printf("snapshot %s committed (index generation %d): %s, %s (%s, %d reused, %d skipped)%n",
                            run.snapshotId(), run.generation(), Counted.of(s.cipherCount(), "item"),
                            Counted.of(s.attachmentCount(), "attachment"), Counted.of(s.newBlobCount(), "new blob"), s.reusedBlobCount(),
                            s.skippedAttachmentCount());
                }
                Retention retention = null;
                if (keep != null) {
                    PrunePlan plan = repository.planPrune(keep, repository.now());
                    var result = repository.prune(plan);
                    retention = new Retention(keep, plan.keptSnapshotIds(), plan.droppedSnapshotIds(), result.deletedBlobs());
                    if (!json) {
                        out().printf("retention %d: kept %s, dropped %d (%s deleted)%n", keep,
                                Counted.of(plan.keptSnapshotIds().size(), "snapshot"), plan.droppedSnapshotIds().size(),
                                Counted.of(result.deletedBlobs(), "blob"));
                    }
                }
                if (json) {
                    printJson(new Report(new Committed(run.snapshotId(), run.generation(), s.cipherCount(), s.attachmentCount(),
                            s.newBlobCount(), s.reusedBlobCount(), s.skippedAttachmentCount()), null, retention, warnings));
                }
                return 0;
            }
        });
    }
}
