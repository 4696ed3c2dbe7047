package io.vaultkeep.engine.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where an account's vault comes from: exactly one kind per account. */
public sealed interface SourceConfig {

    /**
     * A folder that {@code bw export} writes into ({@code export-folder}).
     *
     * @param folder         {@code path}: an existing, readable folder
     * @param exportPassword from the variable named by {@code export-password-env}: the password of
     *                       {@code encrypted_json} exports; empty when the exports are plain
     * @param rescanInterval {@code rescan-interval}, default 30 s: how often the folder is listed in
     *                       case the file watcher missed a change
     * @param settleTime     {@code settle-time}, default 1 s: a file is read only once its size and
     *                       modification time stayed the same for this long
     */
    record ExportFolder(Path folder, Optional<Secret> exportPassword, Duration rescanInterval, Duration settleTime)
            implements SourceConfig {

        public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofSeconds(30);
        public static final Duration DEFAULT_SETTLE_TIME = Duration.ofSeconds(1);

        /** {@code <folder>/attachments}: {@code <itemId>/<fileName>} files of the newest export. */
        public Path attachmentsFolder() {
            return folder.resolve("attachments");
        }
    }

    /** The embedding service hands vaults over through the embedding API ({@code push {}}). */
    record Push() implements SourceConfig {}
}
