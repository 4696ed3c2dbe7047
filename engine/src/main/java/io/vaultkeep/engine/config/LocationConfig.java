package io.vaultkeep.engine.config;

import java.nio.file.Path;

/** Where an account's repository lives: exactly one kind per account (WebDAV comes later). */
public sealed interface LocationConfig {

    /**
     * A local folder ({@code folder { path = … }}); it need not exist yet, but it or its nearest
     * existing parent must be a writable folder. Keyguard's location test is not run by the loader:
     * the host runs it before the first backup into the location.
     */
    record Folder(Path folder) implements LocationConfig {}
}
