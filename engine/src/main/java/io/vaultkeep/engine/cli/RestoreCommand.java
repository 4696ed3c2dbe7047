package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.wording.Counted;
import io.vaultkeep.protocol.bitwarden.BitwardenCsv;
import io.vaultkeep.protocol.bitwarden.BitwardenJson;
import io.vaultkeep.protocol.bitwarden.CsvExport;
import io.vaultkeep.protocol.bitwarden.VaultSelection;
import io.vaultkeep.protocol.bitwarden.encrypted.PasswordProtectedExport;
import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.repository.RepositoryObjects.SnapshotContent;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.ObjectStore;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", header = "Restore a snapshot into a folder, or as a file that bw import reads.", description = {
        "Default: into a new or empty folder DIR, vault.json exactly as stored plus",
        "attachments/<attachmentId>/<fileName>. --format writes one file into DIR that Bitwarden imports:",
        "json, encrypted_json (password-protected), csv (logins and notes only), or zip (bw export",
        "--format zip: data.json plus attachments/<itemId>/<fileName>). --item, --folder and --organization",
        "restore a part: those items with every field, their attachments, and the folders, collections and",
        "organizations they reference."})
final class RestoreCommand extends RepositoryCommand {

    enum Format { folder, json, encrypted_json, csv, zip }

    @Option(names = "--snapshot", paramLabel = "ID", defaultValue = "latest",
            description = "The snapshot: its id or any unique prefix of it (e.g. 20261206042042-435d), or 'latest' (default).")
    String snapshot;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write (created private to you).")
    Path outDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "folder",
            description = "folder (default), json, encrypted_json, csv or zip.")
    Format format;

    @Option(names = "--zip", description = "Same as --format zip.")
    boolean zip;

    @Option(names = "--skip-attachments",
            description = "Let json, encrypted_json and csv restore a snapshot whose attachments they cannot carry.")
    boolean skipAttachments;

    @Option(names = "--skip-unsupported",
            description = "Let csv restore a vault with items it cannot carry (cards, identities, SSH keys, …): they are left out.")
    boolean skipUnsupported;

    @picocli.CommandLine.Mixin
    MasterPasswordOptions masterPassword;

    @Option(names = "--export-password-env", paramLabel = "NAME",
            description = "encrypted_json: the export password, from environment variable NAME (else asked for).")
    String exportPasswordEnv;

    @Option(names = "--export-password-file", paramLabel = "FILE", description = "Or: the export password from FILE.")
    Path exportPasswordFile;

    @ArgGroup(exclusive = false, heading = "encrypted_json KDF (default PBKDF2 600,000; argon2id: 3 iterations, 64 MiB, 4 lanes):%n")
    KdfOptions kdf = new KdfOptions();

    @Option(names = "--item", paramLabel = "ID|NAME",
            description = "Restore only this item (by id, or every item of this name); repeatable. Its attachments come along.")
    List<String> items = new java.util.ArrayList<>();

    @Option(names = "--folder", paramLabel = "NAME", description = "Restore only the items in this folder and its subfolders; repeatable.")
    List<String> folders = new java.util.ArrayList<>();

    @Option(names = "--organization", paramLabel = "ID", description = "Restore only this organization's items; repeatable.")
    List<String> organizations = new java.util.ArrayList<>();

    @Option(names = "--json", description = "Print what was written as JSON (see README for its shape).")
    boolean json;

    /** The {@code --json} document; {@code renamed} says which attachments were written under another name. */
    record Report(String snapshot, Format format, String output, int items, int attachments, long bytes, List<String> renamed) {}

    /** Items the format could not carry (csv with --skip-unsupported). */
    private int itemsLeftOut;

    @picocli.CommandLine.Mixin
    ProgressOptions progressOptions;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        Format chosen = zip ? Format.zip : format;
        // the formats that carry attachments are the long ones: their blobs are what the line counts
        Progress progress = chosen == Format.folder || chosen == Format.zip ? progressOptions.start("restore", json) : Progress.off();
        try (ObjectStore store = ProgressStore.watching(location.open(), progress, key -> key.startsWith(RepositoryPaths.BLOBS));
             BackupRepository repository = password.open(store)) {
            try {
                return restore(repository, store, chosen, progress);
            } finally {
                progress.finish();
            }
        }
    }

    private int restore(BackupRepository repository, ObjectStore store, Format chosen, Progress progress) throws Exception {
        // the snapshot is looked at up to four ways (sealed? the selection, the progress totals, the output): read once
        repository.objects().rememberLastSnapshot();
        IndexState index = repository.readIndex();
        // invariant «never build on an unreadable index» (docs/design.md): "latest" may then not be the
        // newest snapshot taken
        index.unreadable().forEach(u -> warn(u
                + "; its snapshots cannot be restored: run 'vaultkeep check', then 'vaultkeep repair'"));
        IndexDocument catalogue = index.catalogue();
        Map.Entry<String, SnapshotEntry> entry = SnapshotRestore.find(catalogue, snapshot);
        String id = entry.getKey();
        String stamp = STAMP.format(entry.getValue().createdAt());
        SealedVault.Opened sealed = openIfSealed(repository, entry.getValue(), masterPassword.option(), CommandLineRoot.of(spec), err());
        // selected before anything is written: a selection that matches nothing writes nothing
        VaultSelection selection = new VaultSelection(items, folders, organizations);
        VaultSelection.Selected selected = selection.everything() ? null : selection.apply(plainVault(repository, entry.getValue(), sealed));
        SnapshotRestore.Part part = selected == null ? SnapshotRestore.Part.WHOLE : new SnapshotRestore.Part(
                vault -> selected.vaultJson(),
                a -> selected.itemIds().contains(a.remoteCipherId()) || selected.itemIds().contains(a.localCipherId()));
        if (progress.shown()) {
            expectAttachments(repository, store, catalogue, entry.getValue(), part, progress);
        }
        SnapshotRestore.Restored restored = switch (chosen) {
            case folder -> SnapshotRestore.toDirectory(repository.objects(), catalogue, id, outDir, sealed, part);
            case zip -> SnapshotRestore.toBitwardenZip(repository.objects(), catalogue, id,
                    outDir.resolve("bitwarden_export_" + stamp + ".zip"), sealed, part);
            case json -> {
                byte[] vault = vaultOnly(repository, catalogue, id, chosen, sealed, part);
                yield SnapshotRestore.toFile(outDir.resolve("bitwarden_export_" + stamp + ".json"), id, vault);
            }
            case csv -> {
                byte[] vault = vaultOnly(repository, catalogue, id, chosen, sealed, part);
                CsvExport csv = BitwardenCsv.write(BitwardenJson.read(vault));
                if (csv.skippedCount() > 0 && !skipUnsupported) {
                    throw new IllegalArgumentException("csv cannot carry this vault whole (" + csv.report()
                            + "): use --format json or zip, or --skip-unsupported");
                }
                itemsLeftOut = csv.skippedCount();
                if (!csv.complete()) {
                    err().println("note: " + csv.report());
                }
                yield SnapshotRestore.toFile(outDir.resolve("bitwarden_export_" + stamp + ".csv"), id, csv.bytes());
            }
            case encrypted_json -> {
                var kdfParameters = kdf.parameters(); // refuse bad parameters before asking for a password
                byte[] vault = vaultOnly(repository, catalogue, id, chosen, sealed, part);
                char[] exportPassword = exportPassword();
                try {
                    yield SnapshotRestore.toFile(outDir.resolve("bitwarden_encrypted_export_" + stamp + ".json"), id,
                            PasswordProtectedExport.encrypt(vault, exportPassword, kdfParameters));
                } finally {
                    Arrays.fill(exportPassword, '\0');
                }
            }
        };
        progress.finish();
        restored.renamed().forEach(line -> err().println("note: " + line));
        if (json) {
            printJson(new Report(restored.snapshotId(), chosen, restored.output().toString(),
                    (selected == null ? entry.getValue().stats().cipherCount() : selected.itemCount()) - itemsLeftOut,
                    restored.attachments(), restored.bytes(),
                    restored.renamed()));
            return 0;
        }
        out().printf("restored snapshot %s to %s (%s)%n", restored.snapshotId(), restored.output(),
                Counted.of(restored.attachments(), "attachment"));
        return 0;
    }

    /** The totals of the restore's progress line: the blobs of the attachments it writes, at their stored sizes. */
    private static void expectAttachments(BackupRepository repository, ObjectStore store, IndexDocument catalogue, SnapshotEntry entry,
                                          SnapshotRestore.Part part, Progress progress) throws Exception {
        Map<String, Long> sizes = new java.util.HashMap<>();
        store.list(RepositoryPaths.BLOBS).forEach(o -> sizes.put(o.key(), o.size()));
        List<io.vaultkeep.protocol.repository.ManifestAttachment> kept = repository.objects().readSnapshot(entry).manifest()
                .attachments().stream().filter(part.attachments()).toList();
        long bytes = 0;
        for (var a : kept) {
            var blob = catalogue.blobs().get(a.blobId());
            bytes += blob == null ? 0 : sizes.getOrDefault(blob.path(), 0L);
        }
        progress.expect(kept.size(), bytes);
    }

    /**
     * A sealed snapshot's vault opened with the master password (asked for, or from
     * --master-password-env); null for a plain snapshot.
     */
    static SealedVault.Opened openIfSealed(BackupRepository repository, SnapshotEntry entry, SecretOption masterOption,
                                           CommandLineRoot cli, java.io.PrintWriter err) throws Exception {
        SnapshotContent content = repository.objects().readSnapshot(entry);
        if (!SealedVault.isSealed(content.vaultJson())) {
            if (masterOption.given()) {
                err.println("note: " + masterOption.options() + " ignored: the snapshot is not sealed");
            }
            return null;
        }
        SealedVault vault = SealedVault.parse(content.vaultJson());
        char[] masterPassword = masterOption.given() ? masterOption.read(cli)
                : VaultKeepCli.prompt("master password of " + vault.email(),
                        "name an environment variable with --master-password-env NAME or a file with --master-password-file FILE");
        try {
            return vault.open(masterPassword);
        } catch (io.vaultkeep.protocol.crypto.InvalidKdfParametersException e) {
            throw e;
        } catch (io.vaultkeep.protocol.crypto.VaultCryptoException e) {
            throw new IllegalArgumentException("the master password does not open this sealed snapshot of " + vault.email()
                    + " (it needs the master password the account had when the snapshot was taken)");
        } finally {
            Arrays.fill(masterPassword, '\0');
        }
    }

    /** The plaintext vault a selection works on: as stored, or a sealed snapshot's opened export. */
    static byte[] plainVault(BackupRepository repository, SnapshotEntry entry, SealedVault.Opened sealed) throws Exception {
        return sealed != null ? sealed.exportJson() : repository.objects().readSnapshot(entry).vaultJson();
    }

    /** The snapshot's vault (its part), refusing to drop attachments the format cannot carry unless told to. */
    private byte[] vaultOnly(BackupRepository repository, IndexDocument catalogue, String id, Format chosen,
                             SealedVault.Opened sealed, SnapshotRestore.Part part) throws Exception {
        SnapshotEntry entry = catalogue.snapshots().get(id);
        SnapshotContent content = repository.objects().readSnapshot(entry);
        int attachments = (int) content.manifest().attachments().stream().filter(part.attachments()).count();
        if (attachments > 0 && !skipAttachments) {
            throw new IllegalArgumentException("snapshot " + id + " has " + Counted.of(attachments, "attachment")
                    + ", which " + chosen + " cannot carry: use --format zip (or folder) to keep them, or --skip-attachments");
        }
        if (attachments > 0) {
            err().printf("note: %s not restored (--skip-attachments)%n", Counted.of(attachments, "attachment"));
        }
        return part.vault().apply(sealed != null ? sealed.exportJson() : content.vaultJson());
    }

    private char[] exportPassword() {
        SecretOption exportPassword = new SecretOption("--export-password", exportPasswordEnv, exportPasswordFile);
        if (exportPassword.given()) {
            return exportPassword.read(CommandLineRoot.of(spec));
        }
        return VaultKeepCli.promptNew("export password", "pass --export-password-env NAME or --export-password-file FILE");
    }
}
