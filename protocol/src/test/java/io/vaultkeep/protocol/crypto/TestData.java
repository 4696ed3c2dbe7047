package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bitwarden's public test vectors, in this module's test resources under {@code bitwarden/} (their
 * README names where each comes from): read from the test classpath, never from outside the checkout.
 */
public final class TestData {

    private static final String FOLDER = "/bitwarden/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, byte[]> MASTER_KEYS = new ConcurrentHashMap<>();

    private TestData() {
    }

    public static JsonNode json(String relativePath) {
        try {
            return JSON.readTree(bytes(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relativePath) {
        return new String(bytes(relativePath), UTF_8);
    }

    public static byte[] bytes(String relativePath) {
        try (InputStream in = TestData.class.getResourceAsStream(FOLDER + relativePath)) {
            if (in == null) {
                throw new AssertionError("no test resource " + FOLDER + relativePath);
            }
            return in.readAllBytes();
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
