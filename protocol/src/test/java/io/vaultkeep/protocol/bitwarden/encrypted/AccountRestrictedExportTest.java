package io.vaultkeep.protocol.bitwarden.encrypted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.TestData;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vector A (account-encrypted-v1): Bitwarden's own account-restricted export and its expected view. */
class AccountRestrictedExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static byte[] exportBytes;
    private static JsonNode expected;
    private static UserKeyChain keys;

    @BeforeAll
    static void unlock() throws Exception {
        exportBytes = TestData.text("account-encrypted-v1/export.json").getBytes(StandardCharsets.UTF_8);
        expected = TestData.json("account-encrypted-v1/expected.json");
        JsonNode account = TestData.json("account-encrypted-v1/account.json");
        MasterKey masterKey = TestData.masterKey("asdfasdfasdf", account.get("email").asText(),
                KdfParameters.pbkdf2(account.get("kdfParams").get("pBKDF2").get("iterations").asInt()));
        String protectedUserKey = account.get("method").get("masterPasswordUnlock").get("master_password_unlock")
                .get("masterKeyWrappedUserKey").asText();
        keys = UserKeyChain.unlock(masterKey, protectedUserKey, null, Map.of());
    }

    @Test
    void decryptsToEveryValueOfBitwardensExpectedView() throws Exception {
        JsonNode plain = JSON.readTree(AccountRestrictedExport.decrypt(exportBytes, keys));
        assertFalse(plain.get("encrypted").asBoolean());
        assertFalse(plain.has("encKeyValidation_DO_NOT_EDIT"));
        assertEquals(expected.get("folders").get(0).get("name").asText(), plain.get("folders").get(0).get("name").asText());

        JsonNode items = plain.get("items");
        assertEquals(8, items.size(), "login, note, card, identity, SSH key, bank account, driver's licence, passport");
        List<String> compared = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            JsonNode view = viewOf(item.get("id").asText());
            assertFalse(item.has("key"), "item keys are unwrapped and dropped");
            compare(item, view, "items[" + i + "]", compared);
        }
        assertTrue(compared.size() > 100, "compared " + compared.size() + " values");
        assertTrue(compared.contains("items[0].login.password") || compared.stream().anyMatch(p -> p.endsWith(".login.password")));
        assertFalse(new String(AccountRestrictedExport.decrypt(exportBytes, keys), StandardCharsets.UTF_8).matches("(?s).*\"2\\.[A-Za-z0-9+/=]+\\|.*"),
                "no EncString is left");
    }

    private static JsonNode viewOf(String id) {
        for (JsonNode cipher : expected.get("ciphers")) {
            if (cipher.get("id").asText().equals(id)) {
                return cipher;
            }
        }
        throw new AssertionError("expected.json has no cipher " + id);
    }

    /** Every value the decrypted export carries equals the view's; null in the export stands for absent. */
    private static void compare(JsonNode ours, JsonNode view, String path, List<String> compared) {
        if (ours.isNull()) {
            return;
        }
        if (ours.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode other = view == null ? null : view.get(field.getKey());
                if (other == null && !field.getValue().isNull()) {
                    throw new AssertionError(path + "." + field.getKey() + " is not in the expected view");
                }
                compare(field.getValue(), other, path + "." + field.getKey(), compared);
            }
        } else if (ours.isArray()) {
            assertEquals(view.size(), ours.size(), path);
            for (int i = 0; i < ours.size(); i++) {
                compare(ours.get(i), view.get(i), path + "[" + i + "]", compared);
            }
        } else {
            assertEquals(view.asText(), ours.asText(), path);
            compared.add(path);
        }
    }

    @Test
    void aWrongKeyIsAWrongPasswordNotDamage() {
        UserKeyChain other = UserKeyChain.fromUserKey(SymmetricKey.generate(), null, Map.of());
        ExportDecryptionException e = assertThrows(ExportDecryptionException.class, () -> AccountRestrictedExport.decrypt(exportBytes, other));
        assertEquals(ExportDecryptionException.Reason.WRONG_PASSWORD, e.reason());
    }

    @Test
    void anEditedFieldIsDamageNamingTheField() throws Exception {
        ObjectNode file = (ObjectNode) JSON.readTree(exportBytes);
        ObjectNode login = (ObjectNode) file.get("items").get(0).get("login");
        String password = login.get("password").asText();
        String[] parts = password.split("\\|");
        char c = parts[1].charAt(3);
        parts[1] = parts[1].substring(0, 3) + (c == 'A' ? 'B' : 'A') + parts[1].substring(4);
        login.put("password", String.join("|", parts));
        ExportDecryptionException e = assertThrows(ExportDecryptionException.class,
                () -> AccountRestrictedExport.decrypt(JSON.writeValueAsBytes(file), keys));
        assertEquals(ExportDecryptionException.Reason.DAMAGED, e.reason());
        assertTrue(e.getMessage().contains("items[0].login.password"), e.getMessage());
    }

    @Test
    void aV2ExportIsRecognisedAndRefused() throws Exception {
        ObjectNode file = (ObjectNode) JSON.readTree(exportBytes);
        ((ObjectNode) file.get("items").get(0)).put("data", "7.o2EBAzgY");
        ExportDecryptionException e = assertThrows(ExportDecryptionException.class,
                () -> AccountRestrictedExport.decrypt(JSON.writeValueAsBytes(file), keys));
        assertEquals(ExportDecryptionException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("V2"), e.getMessage());
    }

    @Test
    void aPasswordProtectedFileIsNotTakenForAnAccountRestrictedOne() {
        byte[] file = "{\"encrypted\":true,\"passwordProtected\":true,\"data\":\"2.a|b|c\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ExportDecryptionException.Reason.MALFORMED,
                assertThrows(ExportDecryptionException.class, () -> AccountRestrictedExport.decrypt(file, keys)).reason());
    }
}
