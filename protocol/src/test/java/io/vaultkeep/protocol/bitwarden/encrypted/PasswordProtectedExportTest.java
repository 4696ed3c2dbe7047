package io.vaultkeep.protocol.bitwarden.encrypted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.encrypted.ExportDecryptionException.Reason;
import io.vaultkeep.protocol.crypto.Kdf;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.SymmetricEncString;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PasswordProtectedExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PLAIN = ("{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"i1\",\"type\":1,\"name\":\"SECRET-MARKER\","
            + "\"login\":{\"password\":\"hunter2-SECRET-MARKER\"},\"unknownField\":{\"kept\":1.50}}]}").getBytes(StandardCharsets.UTF_8);
    private static final KdfParameters FAST_PBKDF2 = KdfParameters.pbkdf2(5_000);
    private static final KdfParameters SMALL_ARGON2 = KdfParameters.argon2id(2, 16, 1);

    private static byte[] encrypt(KdfParameters kdf) {
        return PasswordProtectedExport.encrypt(PLAIN, "export pw".toCharArray(), kdf);
    }

    @Test
    void roundTripsWithPbkdf2AndArgon2id() throws Exception {
        for (KdfParameters kdf : new KdfParameters[] {FAST_PBKDF2, SMALL_ARGON2}) {
            byte[] file = encrypt(kdf);
            JsonNode header = JSON.readTree(file);
            assertTrue(header.get("encrypted").asBoolean());
            assertTrue(header.get("passwordProtected").asBoolean());
            assertEquals(kdf.type().code(), header.get("kdfType").asInt());
            assertEquals(kdf.iterations(), header.get("kdfIterations").asInt());
            assertEquals(kdf, PasswordProtectedExport.kdfOf(file));
            assertFalse(new String(file, StandardCharsets.UTF_8).contains("SECRET-MARKER"));
            assertArrayEquals(PLAIN, PasswordProtectedExport.decrypt(file, "export pw".toCharArray()));
        }
    }

    @Test
    void theKdfSaltIsTheUtf8OfTheBase64SaltString() throws Exception {
        byte[] file = encrypt(FAST_PBKDF2);
        JsonNode header = JSON.readTree(file);
        // derived independently: PBKDF2 over the salt STRING's bytes, then the HKDF stretch
        byte[] master = Kdf.pbkdf2Sha256("export pw".getBytes(StandardCharsets.UTF_8),
                header.get("salt").asText().getBytes(StandardCharsets.UTF_8), 5_000, 32);
        SymmetricKey key = Kdf.stretch(master);
        assertArrayEquals(PLAIN, SymmetricEncString.parse(header.get("data").asText()).decrypt(key));
    }

    @Test
    void aWrongPasswordAndADamagedFileAreDifferentErrors() throws Exception {
        byte[] file = encrypt(FAST_PBKDF2);
        ExportDecryptionException wrong = assertThrows(ExportDecryptionException.class,
                () -> PasswordProtectedExport.decrypt(file, "not it".toCharArray()));
        assertEquals(Reason.WRONG_PASSWORD, wrong.reason());

        ObjectNode damaged = (ObjectNode) JSON.readTree(file);
        String[] parts = damaged.get("data").asText().split("\\|");
        parts[1] = (parts[1].charAt(0) == 'A' ? "B" : "A") + parts[1].substring(1);
        damaged.put("data", String.join("|", parts));
        ExportDecryptionException broken = assertThrows(ExportDecryptionException.class,
                () -> PasswordProtectedExport.decrypt(JSON.writeValueAsBytes(damaged), "export pw".toCharArray()));
        assertEquals(Reason.DAMAGED, broken.reason());
        assertFalse(broken.getMessage().contains("SECRET-MARKER") || broken.getMessage().contains("export pw"));
    }

    @Test
    void parametersBelowBitwardensMinimaOrAbusiveAreRefusedBeforeAnyWork() throws Exception {
        String[][] cases = {
                {"0", "1000", null, null},          // PBKDF2 below 5,000
                {"1", "1", "64", "4"},               // Argon2id t below 2
                {"1", "3", "8", "4"},                // Argon2id memory below 16 MiB
                {"1", "3", "4096", "4"},             // 4 GiB of memory
                {"0", "2000000000", null, null},     // two billion iterations
                {"1", "3", "64", "0"},               // no lanes
                {"9", "3", null, null},              // unknown KDF
        };
        for (String[] c : cases) {
            ObjectNode file = (ObjectNode) JSON.readTree(encrypt(FAST_PBKDF2));
            file.put("kdfType", Integer.parseInt(c[0]));
            file.put("kdfIterations", Long.parseLong(c[1]));
            if (c[2] != null) {
                file.put("kdfMemory", Integer.parseInt(c[2]));
                file.put("kdfParallelism", Integer.parseInt(c[3]));
            }
            long t0 = System.nanoTime();
            ExportDecryptionException e = assertThrows(ExportDecryptionException.class,
                    () -> PasswordProtectedExport.decrypt(JSON.writeValueAsBytes(file), "export pw".toCharArray()), Arrays.toString(c));
            assertEquals(Reason.REFUSED_PARAMETERS, e.reason(), Arrays.toString(c) + ": " + e.getMessage());
            assertTrue((System.nanoTime() - t0) < 2_000_000_000L, "refused before deriving a key");
        }
    }

    @Test
    void malformedAndTruncatedFilesAreNamedAsSuch() {
        byte[] file = encrypt(FAST_PBKDF2);
        for (byte[] bad : new byte[][] {
                Arrays.copyOf(file, file.length / 2),
                "{\"encrypted\":true,\"passwordProtected\":true,\"salt\":\"abc\",\"kdfType\":0,\"kdfIterations\":5000,\"encKeyValidation_DO_NOT_EDIT\":\"2.@@@|b|c\",\"data\":\"2.a|b|c\"}".getBytes(StandardCharsets.UTF_8),
                "{\"encrypted\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8),
                "[1,2]".getBytes(StandardCharsets.UTF_8)}) {
            ExportDecryptionException e = assertThrows(ExportDecryptionException.class,
                    () -> PasswordProtectedExport.decrypt(bad, "export pw".toCharArray()));
            assertEquals(Reason.MALFORMED, e.reason(), e.getMessage());
        }
    }
}
