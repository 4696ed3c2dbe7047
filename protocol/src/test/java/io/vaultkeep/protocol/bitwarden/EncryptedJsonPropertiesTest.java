package io.vaultkeep.protocol.bitwarden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.encrypted.AccountRestrictedExport;
import io.vaultkeep.protocol.bitwarden.encrypted.PasswordProtectedExport;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random vaults (every type, unknown keys, nulls) through json and encrypted_json and back are equal. */
class EncryptedJsonPropertiesTest {

    // the smallest PBKDF2 Bitwarden imports: these properties test the format, not the KDF's cost
    private static final KdfParameters KDF = KdfParameters.pbkdf2(KdfParameters.PBKDF2_MIN_ITERATIONS);

    @Provide
    Arbitrary<ObjectNode> exports() {
        return TestVaults.exportTrees();
    }

    @Property(tries = 100)
    void passwordProtectedRoundTripKeepsTheVault(@ForAll("exports") ObjectNode export) throws Exception {
        VaultExport vault = BitwardenJson.read(export.toString().getBytes(StandardCharsets.UTF_8));
        byte[] json = BitwardenJson.write(vault);
        byte[] encrypted = PasswordProtectedExport.encrypt(json, "pw".toCharArray(), KDF);
        VaultExport back = BitwardenJson.read(PasswordProtectedExport.decrypt(encrypted, "pw".toCharArray()));
        assertEquals(vault, back);
        assertEquals(TestVaults.tree(json), TestVaults.tree(BitwardenJson.write(back)));
    }

    @Property(tries = 100)
    void accountRestrictedRoundTripKeepsEveryString(@ForAll("exports") ObjectNode export) throws Exception {
        // organization items need an organization key: this property covers the personal vault; "key" and the
        // validation value are the format's own fields, which a plain export never holds
        export.remove("encKeyValidation_DO_NOT_EDIT");
        export.remove("collections");
        if (export.path("items").isArray()) {
            export.withArray("items").forEach(item -> {
                ((ObjectNode) item).putNull("organizationId");
                ((ObjectNode) item).remove("key");
                item.path("login").path("uris").forEach(uri -> {
                    if (uri instanceof ObjectNode object) {
                        object.remove("uriChecksum");
                    }
                });
            });
        }
        byte[] json = BitwardenJson.write(BitwardenJson.read(export.toString().getBytes(StandardCharsets.UTF_8)));
        SymmetricKey userKey = SymmetricKey.generate();
        UserKeyChain keys = UserKeyChain.fromUserKey(SymmetricKey.fromBytes(userKey.toBytes()), null, Map.of());
        byte[] decrypted = AccountRestrictedExport.decrypt(AccountRestrictedExport.encrypt(json, userKey), keys);
        ObjectNode expected = (ObjectNode) TestVaults.tree(json);
        expected.put("encrypted", false);
        assertEquals(expected, TestVaults.tree(decrypted));
    }
}
