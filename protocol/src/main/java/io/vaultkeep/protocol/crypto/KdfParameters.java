package io.vaultkeep.protocol.crypto;

/**
 * Validated KDF settings. A value of this type can always be derived with: parameters below Bitwarden's
 * import minimums are refused (Bitwarden refuses them too), and so are values large enough to pin the CPU
 * for hours or exhaust memory; an export or a server response could carry either, so the check happens
 * here, before any work.
 *
 * <table>
 *   <caption>Accepted ranges</caption>
 *   <tr><th>parameter</th><th>minimum (Bitwarden)</th><th>maximum (VaultKeep)</th><th>default</th></tr>
 *   <tr><td>PBKDF2 iterations</td><td>5,000</td><td>10,000,000 (about 15 s)</td><td>600,000</td></tr>
 *   <tr><td>Argon2id iterations</td><td>2</td><td>10,000</td><td>3</td></tr>
 *   <tr><td>Argon2id memoryMiB</td><td>16</td><td>1,024</td><td>64</td></tr>
 *   <tr><td>Argon2id parallelism</td><td>1</td><td>16</td><td>4</td></tr>
 *   <tr><td>Argon2id iterations × memoryMiB</td><td>—</td><td>102,400</td><td>192</td></tr>
 * </table>
 *
 * <p>The product limit exists because the two single limits do not bound the work: 10,000 passes over
 * 1 GiB would run for hours. 102,400 is ten times the strongest setting the Bitwarden clients offer
 * (10 iterations × 1,024 MiB), so any real account or export passes.
 *
 * <p>For PBKDF2, {@code memoryMiB} and {@code parallelism} mean nothing and are stored as 0, so equal
 * settings compare equal whatever the source carried in those fields.
 */
public record KdfParameters(KdfType type, int iterations, int memoryMiB, int parallelism) {

    public static final int PBKDF2_MIN_ITERATIONS = 5_000;
    public static final int PBKDF2_MAX_ITERATIONS = 10_000_000;
    public static final int PBKDF2_DEFAULT_ITERATIONS = 600_000;

    public static final int ARGON2_MIN_ITERATIONS = 2;
    public static final int ARGON2_MAX_ITERATIONS = 10_000;
    public static final int ARGON2_DEFAULT_ITERATIONS = 3;
    public static final int ARGON2_MIN_MEMORY_MIB = 16;
    public static final int ARGON2_MAX_MEMORY_MIB = 1_024;
    public static final int ARGON2_DEFAULT_MEMORY_MIB = 64;
    public static final int ARGON2_MIN_PARALLELISM = 1;
    public static final int ARGON2_MAX_PARALLELISM = 16;
    public static final int ARGON2_DEFAULT_PARALLELISM = 4;
    public static final long ARGON2_MAX_ITERATIONS_TIMES_MEMORY_MIB = 102_400;

    public KdfParameters {
        if (type == null) {
            throw new InvalidKdfParametersException("type", "KDF type is missing");
        }
        switch (type) {
            case PBKDF2_SHA256 -> {
                checkRange("PBKDF2", "iterations", iterations, PBKDF2_MIN_ITERATIONS, PBKDF2_MAX_ITERATIONS);
                memoryMiB = 0;
                parallelism = 0;
            }
            case ARGON2ID -> {
                checkRange("Argon2id", "iterations", iterations, ARGON2_MIN_ITERATIONS, ARGON2_MAX_ITERATIONS);
                checkRange("Argon2id", "memoryMiB", memoryMiB, ARGON2_MIN_MEMORY_MIB, ARGON2_MAX_MEMORY_MIB);
                checkRange("Argon2id", "parallelism", parallelism, ARGON2_MIN_PARALLELISM, ARGON2_MAX_PARALLELISM);
                long work = (long) iterations * memoryMiB;
                if (work > ARGON2_MAX_ITERATIONS_TIMES_MEMORY_MIB) {
                    throw new InvalidKdfParametersException("iterations", "KDF parameters too large: Argon2id iterations × memoryMiB = "
                            + iterations + " × " + memoryMiB + " = " + work + ", maximum is " + ARGON2_MAX_ITERATIONS_TIMES_MEMORY_MIB
                            + " (refused before deriving: it would run for a very long time)");
                }
            }
        }
    }

    public static KdfParameters pbkdf2(int iterations) {
        return new KdfParameters(KdfType.PBKDF2_SHA256, iterations, 0, 0);
    }

    public static KdfParameters argon2id(int iterations, int memoryMiB, int parallelism) {
        return new KdfParameters(KdfType.ARGON2ID, iterations, memoryMiB, parallelism);
    }

    /** PBKDF2-SHA256 with 600,000 iterations, Bitwarden's default. */
    public static KdfParameters defaultPbkdf2() {
        return pbkdf2(PBKDF2_DEFAULT_ITERATIONS);
    }

    /** Argon2id with 3 iterations, 64 MiB and 4 lanes, Bitwarden's default. */
    public static KdfParameters defaultArgon2id() {
        return argon2id(ARGON2_DEFAULT_ITERATIONS, ARGON2_DEFAULT_MEMORY_MIB, ARGON2_DEFAULT_PARALLELISM);
    }

    /**
     * From the values as Bitwarden transports them (prelogin, token response, password-protected export):
     * {@code kdf} code 0 or 1 and nullable numbers. Memory and parallelism are ignored for PBKDF2.
     */
    public static KdfParameters of(int kdfType, Integer iterations, Integer memoryMiB, Integer parallelism) {
        KdfType type = KdfType.fromCode(kdfType);
        String name = type == KdfType.PBKDF2_SHA256 ? "PBKDF2" : "Argon2id";
        int t = required(name, "iterations", iterations);
        return switch (type) {
            case PBKDF2_SHA256 -> pbkdf2(t);
            case ARGON2ID -> argon2id(t, required(name, "memoryMiB", memoryMiB), required(name, "parallelism", parallelism));
        };
    }

    private static int required(String kdf, String parameter, Integer value) {
        if (value == null) {
            throw new InvalidKdfParametersException(parameter, kdf + " " + parameter + " is missing");
        }
        return value;
    }

    private static void checkRange(String kdf, String parameter, int value, int min, int max) {
        if (value < min) {
            throw new InvalidKdfParametersException(parameter, "Insufficient KDF parameters: " + kdf + " " + parameter
                    + " = " + value + ", minimum is " + min);
        }
        if (value > max) {
            throw new InvalidKdfParametersException(parameter, "KDF parameters too large: " + kdf + " " + parameter
                    + " = " + value + ", maximum is " + max + " (refused before deriving)");
        }
    }
}
