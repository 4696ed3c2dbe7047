package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Bitwarden ground-truth data in {@code shared/testdata/bitwarden}, found by walking up from the
 * working directory (the module directory under Maven; in CI a clean clone has {@code shared/} beside
 * the repository, here it is /work/shared).
 */
public final class TestData {

    private static final String RELATIVE = "shared/testdata/bitwarden";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, byte[]> MASTER_KEYS = new ConcurrentHashMap<>();

    private TestData() {
    }

    public static Path dir() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("Bitwarden test data not found: no " + RELATIVE + " in " + start
                + " or any parent directory. Check out the shared/ directory beside the repository.");
    }

    public static JsonNode json(String relativePath) {
        try {
            return JSON.readTree(dir().resolve(relativePath).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relativePath) {
        try {
            return Files.readString(dir().resolve(relativePath), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] b64(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    public static byte[] b64(JsonNode node) {
        return b64(node.asText());
    }

    /**
     * A master key derived once per JVM: the 600,000-iteration PBKDF2 vectors are needed by several test
     * classes and each derivation costs about a second of a shared CPU.
     */
    public static MasterKey masterKey(String password, String email, KdfParameters parameters) {
        byte[] key = MASTER_KEYS.computeIfAbsent(password + '\0' + email + '\0' + parameters,
                k -> {
                    MasterKey derived = MasterKey.forAccount(password.toCharArray(), email, parameters);
                    byte[] bytes = derived.toBytes();
                    derived.destroy();
                    return bytes;
                });
        return MasterKey.fromBytes(key);
    }

    /** The account of account-encrypted-v1: asdfasdfasdf / test@bitwarden.com / PBKDF2 600,000. */
    public static MasterKey accountMasterKey() {
        return masterKey("asdfasdfasdf", "test@bitwarden.com", KdfParameters.pbkdf2(600_000));
    }
}
