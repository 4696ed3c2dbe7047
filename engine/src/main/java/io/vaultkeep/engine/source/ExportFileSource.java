package io.vaultkeep.engine.source;

import io.vaultkeep.storage.repository.BackupSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The newest unencrypted Bitwarden json export in a folder, read with {@link ExportFileVault}. It
 * does not watch the folder itself: {@link #rescan()} looks again (a folder watcher or a timer
 * calls it) and reports a change when the newest export is another file or was rewritten.
 */
public final class ExportFileSource implements VaultSource {

    private final Path folder;
    private final String accountId;
    private final boolean includeAttachments;
    private volatile Listener listener;
    private String reported;

    public ExportFileSource(Path folder, String accountId, boolean includeAttachments) {
        this.folder = folder;
        this.accountId = accountId;
        this.includeAttachments = includeAttachments;
    }

    public static Factory factory(Path folder, String accountId, boolean includeAttachments) {
        return () -> new ExportFileSource(folder, accountId, includeAttachments);
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        rescan();
    }

    @Override
    public void stop() {
        listener = null;
    }

    /** Reports the newest export's revision if it is not the one reported last; never throws. */
    public synchronized void rescan() {
        Listener current = listener;
        if (current == null) {
            return;
        }
        try {
            Optional<String> revision = newestExport().map(ExportFileSource::revisionOf);
            if (revision.isPresent() && !revision.get().equals(reported)) {
                reported = revision.get();
                current.onChange(reported);
            }
        } catch (IOException | UncheckedIOException unreadable) {
            // the folder is unreadable right now: a fetch will report why, a later rescan may succeed
        }
    }

    @Override
    public BackupSource fetch() throws IOException {
        Path export = newestExport().orElseThrow(() -> new VaultSourceException("no json export in " + folder));
        return ExportFileVault.read(export, null, accountId, includeAttachments);
    }

    private Optional<Path> newestExport() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new VaultSourceException("export folder " + folder + " does not exist or is not a folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(ExportFileSource::modified).thenComparing(Path::getFileName));
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Name, size and time: a rewritten or replaced export is another revision. */
    private static String revisionOf(Path file) {
        try {
            return file.getFileName() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
