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

    /**
     * A live Bitwarden or Vaultwarden account ({@code bitwarden}), polled for changes.
     *
     * @param server         {@code server}: {@code https://vault.example.org} (http only for loopback)
     * @param email          {@code email}: the account's email (the KDF salt)
     * @param clientId       from {@code client-id-env}: the personal API key's client id ({@code user.…});
     *                       without an API key, decrypt mode logs in with the master password
     * @param clientSecret   from {@code client-secret-env}: the personal API key's secret
     * @param masterPassword from {@code master-password-env}: decrypt mode only
     * @param mode           {@code mode}: {@code decrypt} (default) or {@code sealed}
     * @param pollInterval   {@code poll-interval}, default 30 s (with ±10 % jitter)
     * @param caFile         {@code ca-file}: extra CA certificates (PEM) for a self-hosted server
     */
    record Bitwarden(java.net.URI server, String email, Optional<Secret> clientId, Optional<Secret> clientSecret, Optional<Secret> masterPassword,
                     io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode mode, Duration pollInterval, Optional<Path> caFile)
            implements SourceConfig {
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

        /** What the source needs, its secrets read as fresh copies each time it asks. */
        public io.vaultkeep.engine.source.bitwarden.BitwardenAccount account() {
            return new io.vaultkeep.engine.source.bitwarden.BitwardenAccount(server, email,
                    clientId.<java.util.function.Supplier<char[]>>map(secret -> secret::copy),
                    clientSecret.<java.util.function.Supplier<char[]>>map(secret -> secret::copy),
                    masterPassword.<java.util.function.Supplier<char[]>>map(secret -> secret::copy), mode, pollInterval, caFile);
        }

        /**
         * The server's base URL: https with a host, or http to loopback only (a test server); no
         * credentials, query or fragment. @throws IllegalArgumentException saying what is wrong
         */
        public static java.net.URI checkedServer(String raw) {
            java.net.URI url;
            try {
                url = new java.net.URI(raw.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("is not a valid URL: " + e.getReason());
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("must be a plain server URL with a host (no credentials, query or fragment)");
            }
            boolean loopback = url.getHost().equals("localhost") || url.getHost().equals("127.0.0.1") || url.getHost().equals("[::1]");
            if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
                throw new IllegalArgumentException("must start with https:// (http:// only to this machine)");
            }
            return url;
        }
    }

    /** The embedding service hands vaults over through the embedding API ({@code push {}}). */
    record Push() implements SourceConfig {}
}
