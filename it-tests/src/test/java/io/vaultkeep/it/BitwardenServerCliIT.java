package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.testserver.bitwarden.BitwardenCli;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test server is faithful where the official CLI can tell: logins by password (PBKDF2 and
 * Argon2id accounts) and API key, refusals of wrong credentials, edits and deletions a second
 * profile sees after its own sync. (BitwardenEndToEndIT covers every item type, attachments,
 * organizations, export and import.)
 */
class BitwardenServerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theOfficialCliLogsInIsRefusedWhereItShouldBeAndTwoProfilesSeeTheSameVault() throws Exception {
        try (BitwardenTestServer server = BitwardenTestServer.start()) {
            TestAccount argon = server.createAccount("argon@example.org", "argon master pw".toCharArray(), KdfParameters.argon2id(3, 64, 4));
            TestAccount wrongPassword = new TestAccount(argon.userId(), argon.email(), "not it".toCharArray(), argon.kdf(),
                    argon.clientId(), argon.clientSecret());
            TestAccount wrongSecret = new TestAccount(argon.userId(), argon.email(), argon.masterPassword(), argon.kdf(),
                    argon.clientId(), "wrong-secret-0123456789abcdefghij");

            BitwardenCli refused = BitwardenCli.forServer(server, work);
            BitwardenCli.Result badPassword = refused.run(Map.of("P", "not it"), "login", argon.email(), "--passwordenv", "P", "--raw");
            assertNotEquals(0, badPassword.exit(), "a wrong master password is refused");
            assertTrue((badPassword.out() + badPassword.err()).contains("Invalid master password"), badPassword.err());
            BitwardenCli.Result badSecret = refused.run(Map.of("BW_CLIENTID", wrongSecret.clientId(), "BW_CLIENTSECRET", wrongSecret.clientSecret()),
                    "login", "--apikey");
            assertNotEquals(0, badSecret.exit(), "a wrong API secret is refused");
            assertTrue(wrongPassword.masterPassword().length > 0);

            BitwardenCli byPassword = BitwardenCli.forServer(server, work);
            byPassword.loginWithPassword(argon); // Argon2id account, password grant
            long before = server.revisionDate(argon);
            JsonNode created = JSON.readTree(byPassword.run(Map.of(), "create", "item", BitwardenCli.encode(
                    "{\"type\":1,\"name\":\"Mail\",\"login\":{\"username\":\"argon\",\"password\":\"first\"}}")).orFail("create").out());
            String id = created.get("id").asText();
            JsonNode edited = created.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) edited.get("login")).put("password", "second");
            byPassword.run(Map.of(), "edit", "item", id, BitwardenCli.encode(edited.toString())).orFail("edit");
            String doomed = JSON.readTree(byPassword.run(Map.of(), "create", "item", BitwardenCli.encode(
                    "{\"type\":2,\"name\":\"Doomed\",\"secureNote\":{\"type\":0}}")).orFail("create").out()).get("id").asText();
            byPassword.run(Map.of(), "delete", "item", doomed, "--permanent").orFail("delete --permanent");
            assertTrue(server.revisionDate(argon) > before);
            assertEquals(4, server.requestCount("POST /api/ciphers") + server.requestCount("PUT /api/ciphers/([^/]+)")
                    + server.requestCount("DELETE /api/ciphers/([^/]+)") + server.requestCount("POST /api/ciphers/([^/]+)"),
                    "each change was one request: " + server.requestCounts());

            BitwardenCli byApiKey = BitwardenCli.forServer(server, work);
            byApiKey.loginWithApiKey(argon);
            JsonNode items = JSON.readTree(byApiKey.run(Map.of(), "list", "items").orFail("list").out());
            assertEquals(1, items.size(), items.toString());
            assertEquals("second", items.get(0).get("login").get("password").asText(), "the edit is what the other profile sees");
            assertEquals(java.util.List.of(), server.unknownRequests(), "the CLI needed no endpoint the server lacks");
        }
    }
}
