package io.vaultkeep.engine.source;

import io.vaultkeep.protocol.crypto.UserKeyChain;
import io.vaultkeep.storage.repository.FetchedVault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account's vault as {@code bw export} leaves it in a folder: the newest stable export file (json,
 * csv, or password-protected encrypted_json with the configured export password) plus attachment
 * files under {@code attachments/<itemId>/<fileName>}. An {@link ExportFolderWatcher} reports changes
 * only once files have stopped changing, so a file still being written is never read.
 */
public final class ExportFileSource implements VaultSource {

    private static final Logger LOG = LoggerFactory.getLogger(ExportFileSource.class);

    private final Path folder;
    private final String accountId;
    private final boolean includeAttachments;
    private final Supplier<char[]> exportPassword;
    private final ExportFolderWatcher.Timing timing;
    private final SourceScheduling scheduling;
    private ExportFolderWatcher watcher;

    /**
     * @param exportPassword the password of password-protected exports (a fresh copy per call, which
     *     is wiped after use), or null when none is configured
     */
    public ExportFileSource(Path folder, String accountId, boolean includeAttachments, Supplier<char[]> exportPassword,
                            ExportFolderWatcher.Timing timing, SourceScheduling scheduling) {
        this.folder = folder;
        this.accountId = accountId;
        this.includeAttachments = includeAttachments;
        this.exportPassword = exportPassword;
        this.timing = timing;
        this.scheduling = scheduling;
    }

    /** A source for plain exports with the default timing. */
    public static Factory factory(Path folder, String accountId, boolean includeAttachments) {
        return factory(folder, accountId, includeAttachments, null, ExportFolderWatcher.Timing.DEFAULT);
    }

    public static Factory factory(Path folder, String accountId, boolean includeAttachments, Supplier<char[]> exportPassword,
                                  ExportFolderWatcher.Timing timing) {
        return scheduling -> new ExportFileSource(folder, accountId, includeAttachments, exportPassword, timing, scheduling);
    }

    @Override
    public synchronized void start(Listener listener) {
        watcher = new ExportFolderWatcher(folder, timing, scheduling, new ExportFolderWatcher.Listener() {
            @Override
            public void exportChanged(Path newestExport, long changeStamp) {
                listener.onChange(Long.toHexString(changeStamp));
            }

            @Override
            public void watchFailed(Exception problem) {
                // the rescan carries on; a fetch reports a real problem to the account's status
                LOG.warn("account {}: watching {}: {}", accountId, folder, problem.getMessage());
            }
        });
        watcher.start();
    }

    @Override
    public synchronized void stop() {
        if (watcher != null) {
            watcher.stop();
            watcher = null;
        }
    }

    @Override
    public FetchedVault fetch() throws IOException {
        Path export = newestExport().orElseThrow(() -> new VaultSourceException("no export file (json, csv) in " + folder));
        ExportDecoder.PlainJson plainJson = ExportDecoder.decode(ExportFileVault.readFile(export), export, new ExportDecoder.Secrets() {
            @Override
            public char[] exportPassword() throws VaultSourceException {
                if (exportPassword == null) {
                    throw new VaultSourceException(export + " is password-protected: set export-password-env for this account");
                }
                return exportPassword.get();
            }

            @Override
            public UserKeyChain accountKeys() throws VaultSourceException {
                throw new VaultSourceException(export + " is an account-restricted export, which opens only with the account's keys: "
                        + "export as json, or as encrypted_json with a password");
            }
        });
        Path attachments = folder.resolve("attachments");
        return ExportFileVault.fromJson(plainJson, export, Files.isDirectory(attachments) ? attachments : null, accountId,
                includeAttachments);
    }

    /** The newest export file by modification time, then name: what the watcher reported last. */
    private Optional<Path> newestExport() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new VaultSourceException("export folder " + folder + " does not exist or is not a folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> ExportFolderWatcher.isExportName(f.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing((Path f) -> f.toFile().lastModified()).thenComparing(Path::getFileName));
        }
    }
}
