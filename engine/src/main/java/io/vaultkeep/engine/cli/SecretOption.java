package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SecretFile;
import java.nio.file.Path;

/**
 * One secret the command line takes as a pair of twins: {@code --NAME-env VARIABLE} (the value of
 * an environment variable) or {@code --NAME-file FILE} (the content of a private file, as systemd's
 * {@code LoadCredential} and container secrets provide). At most one of the two is given.
 *
 * @param name the option's stem, e.g. {@code --password}
 */
record SecretOption(String name, String variable, Path file) {

    /** Whether either twin was given. */
    boolean given() {
        return variable != null || file != null;
    }

    /** Both twins as the user types them, for messages: {@code --password-env/--password-file}. */
    String options() {
        return name + "-env/" + name + "-file";
    }

    /**
     * The secret's characters (the caller wipes them), or null when neither twin was given.
     *
     * @throws UsageError when both twins were given
     * @throws IllegalArgumentException when the variable is unset or empty, or the file unfit
     */
    char[] read(CommandLineRoot cli) {
        if (variable != null && file != null) {
            throw new UsageError(name + "-env and " + name + "-file exclude each other: give one");
        }
        if (variable != null) {
            return cli.secretFromEnvironment(name + "-env", variable);
        }
        if (file != null) {
            try {
                return SecretFile.read(file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + "-file: " + e.getMessage());
            }
        }
        return null;
    }

    /** Where the secret comes from, for {@link Secret#origin()}. */
    String origin() {
        return variable != null ? "environment variable " + variable : "file " + file.toAbsolutePath().normalize();
    }

    /** The secret as a {@link Secret} (the caller wipes it), or null when neither twin was given. */
    Secret secret(CommandLineRoot cli) {
        char[] value = read(cli);
        return value == null ? null : Secret.taking(origin(), value);
    }
}
