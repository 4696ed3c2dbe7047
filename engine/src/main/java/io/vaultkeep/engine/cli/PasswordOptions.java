package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.PasswordModeException;
import io.vaultkeep.storage.repository.RepositoryExistsException;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * Where the backup password comes from: an environment variable named by {@code --password-env}, a
 * file named by {@code --password-file}, or a no-echo prompt. Never a plain argument, which would show in the process list and history.
 */
public final class PasswordOptions {

    @Option(names = "--password-env", paramLabel = "NAME",
            description = "Read the backup password from environment variable NAME.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the backup password from FILE (private to its owner; one trailing line break is dropped).")
    java.nio.file.Path passwordFile;

    @Option(names = "--no-password",
            description = "Create a plain (unencrypted) repository instead of asking for a password.")
    boolean noPassword;

    static final ZipCodec CODEC = new Zip4jCodec();

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Opens the repository, asking for its password on the terminal if it is encrypted and none was named. */
    BackupRepository open(ObjectStore store) throws IOException {
        try {
            return openAsked(store);
        } catch (WrongPasswordException wrong) {
            // here it can only be repo.zip's password (objects are read later): exit code 12, not "damaged"
            throw new WrongBackupPasswordException(wrong);
        }
    }

    private BackupRepository openAsked(ObjectStore store) throws IOException {
        if (source().given()) {
            return withPassword(source().read(CommandLineRoot.of(mixee)), p -> BackupRepository.open(store, CODEC, p, Clock.systemUTC()));
        }
        try {
            return BackupRepository.open(store, CODEC, null, Clock.systemUTC());
        } catch (PasswordModeException encrypted) {
            if (noPassword || System.console() == null) {
                throw encrypted;
            }
            return withPassword(VaultKeepCli.prompt("backup password", HOW_ELSE), p -> BackupRepository.open(store, CODEC, p, Clock.systemUTC()));
        }
    }

    /** Creates a repository: encrypted with the named or prompted password, or plain with --no-password. */
    BackupRepository create(ObjectStore store) throws IOException {
        return withPassword(newPassword(), p -> BackupRepository.create(store, CODEC, p, Clock.systemUTC()));
    }

    /** Opens the repository, creating it first (as {@link #create} would) when the location has none. */
    BackupRepository openOrCreate(ObjectStore store) throws IOException {
        if (!BackupRepository.exists(store)) {
            try {
                return create(store);
            } catch (RepositoryExistsException raced) {
                // another writer created it a moment ago (repo.zip is create-only): open theirs
            }
        }
        return open(store);
    }

    private char[] newPassword() throws IOException {
        if (source().given() && noPassword) {
            throw new UsageError("--password-env/--password-file and --no-password exclude each other");
        }
        if (noPassword) {
            return null;
        }
        if (source().given()) {
            return source().read(CommandLineRoot.of(mixee));
        }
        if (System.console() == null) {
            throw new IllegalArgumentException("a new repository needs a backup password: name its environment variable with "
                    + "--password-env NAME or its file with --password-file FILE, or pass --no-password for a plain repository");
        }
        return VaultKeepCli.promptNew("new backup password", HOW_ELSE);
    }

    private SecretOption source() {
        return new SecretOption("--password", passwordEnv, passwordFile);
    }

    private static final String HOW_ELSE = "name an environment variable with --password-env NAME or a file with --password-file FILE";

    @FunctionalInterface
    private interface WithPassword {
        BackupRepository apply(char[] password) throws IOException;
    }

    /** The repository copies the password; this copy is wiped as soon as it is handed over. */
    private static BackupRepository withPassword(char[] password, WithPassword action) throws IOException {
        try {
            return action.apply(password);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }
}
