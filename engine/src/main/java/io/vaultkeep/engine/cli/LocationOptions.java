package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.LocationConfig;
import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --location} and its WebDAV options: where the repository lives. */
public final class LocationOptions {

    @Option(names = "--location", required = true, paramLabel = "PATH|URL",
            description = "The repository's location: a local folder, or a WebDAV collection (https://… or http://…).")
    String location;

    @Option(names = "--webdav-user", paramLabel = "NAME", description = "WebDAV: the Basic auth user.")
    String webDavUser;

    @Option(names = "--webdav-password-env", paramLabel = "NAME",
            description = "WebDAV: read the user's password from environment variable NAME (else it is asked for).")
    String webDavPasswordEnv;

    @Option(names = "--webdav-password-file", paramLabel = "FILE", description = "WebDAV: or read the user's password from FILE.")
    Path webDavPasswordFile;

    @Option(names = "--webdav-ca-file", paramLabel = "FILE",
            description = "WebDAV over https: a PEM file of CA certificates to trust besides the system's.")
    Path webDavCaFile;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    ObjectStore open() throws IOException {
        return config().open();
    }

    /** Whether the location is a local folder (not a WebDAV server); reads no credentials. */
    boolean isFolder() {
        return !isWebDav(location);
    }

    private static boolean isWebDav(String location) {
        return location.startsWith("http://") || location.startsWith("https://");
    }

    /** What a command does with the opened store. */
    @FunctionalInterface
    interface StoreWork<T> {
        T apply(ObjectStore store) throws Exception;
    }

    /**
     * Opens the store and runs {@code work} on it. When the work fails, a folder location this call
     * created is removed again if nothing was written into it (no empty repository folder is left
     * behind), and a folder that cannot be written is named as the location.
     */
    <T> T withStore(StoreWork<T> work) throws Exception {
        LocationConfig config = config();
        if (!(config instanceof LocationConfig.Folder folder)) {
            try (ObjectStore store = config.open()) {
                return work.apply(store);
            }
        }
        Path root = folder.folder();
        Path firstCreated = null;
        for (Path p = root; p != null && !Files.exists(p); p = p.getParent()) {
            firstCreated = p;
        }
        try (ObjectStore store = config.open()) {
            return work.apply(store);
        } catch (Exception e) {
            if (firstCreated != null) {
                removeEmptyFolders(root, firstCreated);
            }
            throw LocationCheck.named(root, e);
        }
    }

    /** Deletes the empty folders under and including {@code root}, then its empty parents up to {@code upTo}. */
    private static void removeEmptyFolders(Path root, Path upTo) {
        if (Files.isDirectory(root)) {
            try (var tree = Files.walk(root)) {
                for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    deleteIfEmptyFolder(p);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                return; // what cannot be walked is kept
            }
        }
        for (Path p = root.getParent(); p != null && p.startsWith(upTo); p = p.getParent()) {
            deleteIfEmptyFolder(p);
        }
    }

    private static void deleteIfEmptyFolder(Path p) {
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(p); // only an empty folder can be deleted
            }
        } catch (IOException e) {
            // not empty, or not ours to delete: kept
        }
    }

    /** The location as the config file would give it, checked the same way. */
    LocationConfig config() {
        if (!isWebDav(location)) {
            if (webDavUser != null || webDavPassword().given() || webDavCaFile != null) {
                throw new UsageError("--webdav-user, --webdav-password-env/-file and --webdav-ca-file apply to "
                        + "WebDAV locations (https://… or http://…) only");
            }
            return new LocationConfig.Folder(Path.of(location).toAbsolutePath().normalize());
        }
        URI url;
        try {
            url = LocationConfig.WebDav.checkedUrl(location);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--location " + e.getMessage());
        }
        if (webDavCaFile != null && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new UsageError("--webdav-ca-file applies to https:// locations only");
        }
        if (webDavPassword().given() && webDavUser == null) {
            throw new UsageError(webDavPassword().options() + " needs --webdav-user");
        }
        return new LocationConfig.WebDav(url, Optional.ofNullable(webDavUser), password(), Optional.ofNullable(webDavCaFile));
    }

    private Optional<Secret> password() {
        if (webDavUser == null) {
            return Optional.empty();
        }
        if (webDavPassword().given()) {
            return Optional.of(webDavPassword().secret(CommandLineRoot.of(mixee)));
        }
        return Optional.of(Secret.taking("the terminal", promptOrFail()));
    }

    private SecretOption webDavPassword() {
        return new SecretOption("--webdav-password", webDavPasswordEnv, webDavPasswordFile);
    }

    private static char[] promptOrFail() {
        if (System.console() == null) {
            throw new IllegalArgumentException("--webdav-user needs a password: name its environment variable with "
                    + "--webdav-password-env NAME or its file with --webdav-password-file FILE");
        }
        return VaultKeepCli.prompt("WebDAV password", "name an environment variable with --webdav-password-env NAME");
    }
}
