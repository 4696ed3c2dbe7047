package io.vaultkeep.engine.config;

import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where an account's repository lives: exactly one kind per account. */
public sealed interface LocationConfig {

    /** Opens the store; each call gives a new one, which the caller closes. */
    ObjectStore open() throws IOException;

    /**
     * What the location is, as a string ending in '/' that is equal for two spellings of the same
     * place and a prefix of every place inside it.
     */
    String identity();

    /**
     * Whether this location and {@code other} share or nest a repository (two accounts must not):
     * the same folder or URL, or one inside the other.
     */
    default boolean overlaps(LocationConfig other) {
        return identity().startsWith(other.identity()) || other.identity().startsWith(identity());
    }

    /** A description safe to log and show (no credentials). */
    String describe();

    /**
     * A local folder ({@code folder { path = … }}); it need not exist yet, but it or its nearest
     * existing parent must be a writable folder. Keyguard's location test is not run by the loader:
     * the host runs it before the first backup into the location.
     */
    record Folder(Path folder) implements LocationConfig {

        @Override
        public ObjectStore open() throws IOException {
            return FolderStore.open(folder);
        }

        @Override
        public String identity() {
            String path = folder.toAbsolutePath().normalize().toString();
            return path.endsWith("/") ? path : path + "/";
        }

        @Override
        public String describe() {
            return folder.toString();
        }
    }

    /**
     * A WebDAV collection ({@code webdav { url, user, password-env, ca-file }}): an {@code https://}
     * or {@code http://} URL without credentials in it, Basic auth from {@code user} and the password
     * variable, and an optional PEM file of CA certificates trusted besides the system's for https.
     */
    record WebDav(URI url, Optional<String> user, Optional<Secret> password, Optional<Path> caFile)
            implements LocationConfig {

        /**
         * An http(s) URL with a host and no credentials, query or fragment in it (a password in a
         * URL would be logged). @throws IllegalArgumentException saying what is wrong, without the URL
         */
        public static URI checkedUrl(String raw) {
            URI url;
            try {
                url = new URI(raw.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a valid URL: " + e.getReason());
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("must start with https:// or http://");
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("must not contain credentials: give the user and the password's "
                        + "environment variable separately");
            }
            if (url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("must be a plain collection URL with a host, no query and no fragment");
            }
            return url;
        }

        @Override
        public ObjectStore open() throws IOException {
            char[] pw = password.map(Secret::copy).orElse(null);
            try {
                return WebDavStore.open(url.toString(), user.orElse(null), pw, caFile.orElse(null));
            } finally {
                if (pw != null) {
                    Arrays.fill(pw, '\0');
                }
            }
        }

        @Override
        public String describe() {
            return url.toString();
        }

        /** Scheme and host ignore case, default ports are explicit, the path ends in '/'. */
        @Override
        public String identity() {
            String scheme = url.getScheme().toLowerCase(Locale.ROOT);
            int port = url.getPort() != -1 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
            String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
            return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port
                    + (path.endsWith("/") ? path : path + "/");
        }
    }
}
