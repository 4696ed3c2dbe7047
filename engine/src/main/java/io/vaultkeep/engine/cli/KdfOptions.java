package io.vaultkeep.engine.cli;

import io.vaultkeep.protocol.crypto.KdfParameters;
import picocli.CommandLine.Option;

/** {@code --kdf} and its parameters; unset parameters take Bitwarden's defaults for that KDF. */
public final class KdfOptions {

    enum Algorithm { pbkdf2, argon2id }

    @Option(names = "--kdf", paramLabel = "KDF", defaultValue = "pbkdf2",
            description = "pbkdf2 (default) or argon2id.")
    Algorithm kdf = Algorithm.pbkdf2;

    @Option(names = "--kdf-iterations", paramLabel = "N", description = "Default: 600000 (pbkdf2) or 3 (argon2id).")
    Integer iterations;

    @Option(names = "--kdf-memory", paramLabel = "MiB", description = "argon2id memory in MiB (default 64).")
    Integer memoryMiB;

    @Option(names = "--kdf-parallelism", paramLabel = "N", description = "argon2id lanes (default 4).")
    Integer parallelism;

    /** Validated: below Bitwarden's minima or abusive values are refused before any work. */
    KdfParameters parameters() {
        return switch (kdf) {
            case pbkdf2 -> {
                if (memoryMiB != null || parallelism != null) {
                    throw new UsageError("--kdf-memory and --kdf-parallelism apply to --kdf argon2id only");
                }
                yield KdfParameters.pbkdf2(iterations != null ? iterations : KdfParameters.PBKDF2_DEFAULT_ITERATIONS);
            }
            case argon2id -> KdfParameters.argon2id(
                    iterations != null ? iterations : KdfParameters.ARGON2_DEFAULT_ITERATIONS,
                    memoryMiB != null ? memoryMiB : KdfParameters.ARGON2_DEFAULT_MEMORY_MIB,
                    parallelism != null ? parallelism : KdfParameters.ARGON2_DEFAULT_PARALLELISM);
        };
    }
}
