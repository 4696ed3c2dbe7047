package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.source.bitwarden.BitwardenSource;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.protocol.bitwarden.encrypted.PasswordProtectedExport;
import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.testserver.bitwarden.BitwardenCli;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live account on the Bitwarden-compatible test server, filled and judged by the official CLI: the
 * engine polls it and backs it up in decrypt and sealed mode; what it restores equals what
 * {@code bw export} says the vault is, and {@code bw import} takes it back into a fresh account.
 */
class BitwardenEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] ALICE_PW = "alice master password".toCharArray();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(90);

    // one server and one vault, filled by the CLI once, for every test here (each start costs seconds)
    @TempDir
    static Path work;
    private static BitwardenTestServer server;
    private static TestAccount alice;
    private static BitwardenCli cli;
    private static String orgId;
    private static String folderId;
    private static List<String> ids;
    private static Path scan;

    @BeforeAll
    static void aliceFillsHerVaultWithTheCli() throws Exception {
        server = BitwardenTestServer.start();
        alice = server.createAccount("alice@example.org", ALICE_PW, KdfParameters.defaultPbkdf2());
        cli = BitwardenCli.forServer(server, work);
        cli.loginWithApiKey(alice);
        orgId = server.createOrganization(alice, "Team", List.of("Ops", "Dev"));
        String ops = server.collectionIds(orgId).get(0);
        cli.run(Map.of(), "sync").orFail("sync");

        long revision = server.revisionDate(alice);
        folderId = JSON.readTree(cli.run(Map.of(), "create", "folder", BitwardenCli.encode("{\"name\":\"Work\"}"))
                .orFail("create folder").out()).get("id").asText();
        assertTrue(server.revisionDate(alice) > revision, "the revision date moves on a change");
        ids = new ArrayList<>();
        for (String item : everyType(folderId)) {
            revision = server.revisionDate(alice);
            ids.add(JSON.readTree(cli.run(Map.of(), "create", "item", BitwardenCli.encode(item)).orFail("create item").out()).get("id").asText());
            assertTrue(server.revisionDate(alice) > revision, "the revision date moves on every change");
        }
        cli.run(Map.of(), "create", "item", BitwardenCli.encode("""
                {"type":2,"name":"Team note","notes":"shared","organizationId":"%s","collectionIds":["%s"],"secureNote":{"type":0}}"""
                .formatted(orgId, ops))).orFail("create org item");
        scan = Files.write(work.resolve("scan.pdf"), "%PDF-1.7 a scanned passport".getBytes());
        cli.run(Map.of(), "create", "attachment", "--file", scan.toString(), "--itemid", ids.get(0)).orFail("create attachment");
        String deleted = JSON.readTree(cli.run(Map.of(), "create", "item", BitwardenCli.encode(
                "{\"type\":2,\"name\":\"Gone soon\",\"secureNote\":{\"type\":0}}")).orFail("create").out()).get("id").asText();
        cli.run(Map.of(), "delete", "item", deleted).orFail("delete item");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void whatTheCliWritesTheEngineBacksUpAndWhatTheEngineRestoresTheCliImports() throws Exception {
        Path cliExport = work.resolve("cli-export.json");
        cli.run(Map.of(), "export", "--format", "json", "--output", cliExport.toString()).orFail("export");
        Path cliOrgExport = work.resolve("cli-org-export.json");
        cli.run(Map.of(), "export", "--organizationid", orgId, "--format", "json", "--output", cliOrgExport.toString()).orFail("export org");

        // the engine backs the account up, in decrypt and in sealed mode
        try (VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(work.resolve("data"))
                .withDebounce(Duration.ofSeconds(3), Duration.ofSeconds(20)))) {
            engine.register(EngineAccounts.bitwarden("alice", work.resolve("backups"), server, alice, alice.clientSecret(), BitwardenSource.Mode.DECRYPT, POLL));
            engine.register(EngineAccounts.bitwarden("alice-sealed", work.resolve("backups"), server, alice, alice.clientSecret(), BitwardenSource.Mode.SEALED, POLL));
            AccountEntityStatus decrypt = EngineAccounts.await(engine, "alice", s -> s.lastSnapshotId() != null, WAIT);
            AccountEntityStatus sealed = EngineAccounts.await(engine, "alice-sealed", s -> s.lastSnapshotId() != null, WAIT);

            Path restored = restore("alice", decrypt.lastSnapshotId(), null);
            JsonNode ours = JSON.readTree(restored.resolve("vault.json").toFile());
            // (1) the personal part equals bw export; the organization part equals bw export --organizationid
            assertEquals(normalized(JSON.readTree(cliExport.toFile()), false), normalized(ours, false));
            assertEquals(normalized(JSON.readTree(cliOrgExport.toFile()), true), normalized(ours, true));
            assertFalse(ours.toString().contains("Gone soon"), "items in the trash are not backed up, as bw export");
            List<Path> attachments = files(restored.resolve("attachments"));
            assertEquals(1, attachments.size());
            assertEquals("scan.pdf", attachments.get(0).getFileName().toString());
            assertArrayEquals(Files.readAllBytes(scan), Files.readAllBytes(attachments.get(0)));
            Path cliAttachment = work.resolve("cli-attachment.pdf");
            cli.run(Map.of(), "get", "attachment", "scan.pdf", "--itemid", ids.get(0), "--output", cliAttachment.toString())
                    .orFail("get attachment");
            assertArrayEquals(Files.readAllBytes(scan), Files.readAllBytes(cliAttachment));

            // (3) the sealed snapshot holds no plaintext, and opens with the master password to the same files
            Path sealedRestore = restore("alice-sealed", sealed.lastSnapshotId(), ALICE_PW);
            assertArrayEquals(Files.readAllBytes(restored.resolve("vault.json")), Files.readAllBytes(sealedRestore.resolve("vault.json")));
            List<Path> sealedAttachments = files(sealedRestore.resolve("attachments"));
            assertEquals("scan.pdf", sealedAttachments.get(0).getFileName().toString());
            assertArrayEquals(Files.readAllBytes(scan), Files.readAllBytes(sealedAttachments.get(0)));
            byte[] sealedDocument = snapshotVault("alice-sealed", sealed.lastSnapshotId());
            assertTrue(SealedVault.isSealed(sealedDocument));
            assertFalse(new String(sealedDocument).contains("Login A") || new String(sealedDocument).contains("hunter2"),
                    "a sealed snapshot holds no plaintext");

            // (4) five edits within two seconds: exactly one new snapshot
            String beforeBurst = EngineAccounts.await(engine, "alice", s -> s.lastSnapshotId() != null && s.inFlightRunId() == null, WAIT).lastSnapshotId();
            Set<String> snapshotsBefore = snapshotIds("alice");
            List<Process> edits = new ArrayList<>();
            long burstStart = System.nanoTime();
            for (int i = 1; i <= 5; i++) {
                edits.add(cli.start("edit", "item", ids.get(1), BitwardenCli.encode(JSON.readTree(everyType(folderId).get(1))
                        .deepCopy().<ObjectNode>require().put("name", "Note edit " + i).toString())));
                Thread.sleep(300);
            }
            for (Process edit : edits) {
                assertTrue(edit.waitFor(60, TimeUnit.SECONDS) && edit.exitValue() == 0, "bw edit succeeded");
            }
            long burstMillis = (System.nanoTime() - burstStart) / 1_000_000;
            AccountEntityStatus afterBurst = EngineAccounts.await(engine, "alice", s -> !beforeBurst.equals(s.lastSnapshotId()) && s.inFlightRunId() == null, WAIT);
            Thread.sleep(8_000); // longer than the quiet window and two polls: a second snapshot would show now
            Set<String> added = snapshotIds("alice");
            added.removeAll(snapshotsBefore);
            assertEquals(Set.of(afterBurst.lastSnapshotId()), added,
                    "five edits in " + burstMillis + " ms make exactly one snapshot");
            JsonNode edited = JSON.readTree(restore("alice", afterBurst.lastSnapshotId(), null).resolve("vault.json").toFile());
            assertTrue(edited.toString().contains("Note edit "), "the snapshot holds an edit");
        }

        // (2) bw import takes back our json and our password-protected encrypted_json (PBKDF2 and Argon2id)
        byte[] ourJson = Files.readAllBytes(restore("alice", latest("alice"), null).resolve("vault.json"));
        byte[] personal = JSON.writeValueAsBytes(personalOnly(JSON.readTree(ourJson)));
        Path plainFile = Files.write(work.resolve("import-plain.json"), personal);
        Path pbkdf2File = Files.write(work.resolve("import-pbkdf2.json"),
                PasswordProtectedExport.encrypt(personal, "import pw 1".toCharArray(), KdfParameters.defaultPbkdf2()));
        Path argonFile = Files.write(work.resolve("import-argon.json"),
                PasswordProtectedExport.encrypt(personal, "import pw 2".toCharArray(), KdfParameters.argon2id(3, 64, 4)));
        JsonNode expected = normalizedForImport(JSON.readTree(personal));
        int n = 0;
        for (Path file : List.of(plainFile, pbkdf2File, argonFile)) {
            n++;
            TestAccount fresh = server.createAccount("fresh" + n + "@example.org", ("fresh pw " + n).toCharArray(), KdfParameters.defaultPbkdf2());
            BitwardenCli other = BitwardenCli.forServer(server, work);
            other.loginWithApiKey(fresh);
            String password = file == plainFile ? null : file == pbkdf2File ? "import pw 1" : "import pw 2";
            List<String> args = new ArrayList<>(List.of("import", "bitwardenjson", file.toString()));
            if (password != null) {
                args.addAll(List.of("--passwordenv", "VK_IMPORT_PW"));
            }
            BitwardenCli.Result imported = other.run(password == null ? Map.of() : Map.of("VK_IMPORT_PW", password),
                    args.toArray(String[]::new));
            imported.orFail("import " + file.getFileName());
            Path back = work.resolve("export-" + n + ".json");
            other.run(Map.of(), "sync").orFail("sync");
            other.run(Map.of(), "export", "--format", "json", "--output", back.toString()).orFail("export " + n);
            assertEquals(expected, normalizedForImport(JSON.readTree(back.toFile())), "round trip through bw import of " + file.getFileName());
        }
    }

    @Test
    void oneShotBackupThroughTheLauncherWithTheApiKeyRestoresWhatBwExports() throws Exception {
        oneShotBackupRestoresWhatBwExports("oneshot-apikey", Map.of("VK_ID", alice.clientId(), "VK_SECRET", alice.clientSecret()),
                "--client-id-env", "VK_ID", "--client-secret-env", "VK_SECRET");
    }

    @Test
    void oneShotBackupThroughTheLauncherWithPasswordLoginRestoresWhatBwExports() throws Exception {
        oneShotBackupRestoresWhatBwExports("oneshot-password", Map.of());
    }

    /** {@code vaultkeep backup --bitwarden-server} in decrypt mode (the default), then {@code vaultkeep restore}, as a user runs them. */
    private void oneShotBackupRestoresWhatBwExports(String name, Map<String, String> loginEnv, String... loginArgs) throws Exception {
        cli.run(Map.of(), "sync").orFail("sync");
        Path cliExport = work.resolve(name + "-cli-export.json");
        cli.run(Map.of(), "export", "--format", "json", "--output", cliExport.toString()).orFail("export");
        Path cliOrgExport = work.resolve(name + "-cli-org-export.json");
        cli.run(Map.of(), "export", "--organizationid", orgId, "--format", "json", "--output", cliOrgExport.toString()).orFail("export org");

        Launcher vaultkeep = new Launcher(Files.createDirectories(work.resolve(name + "-launcher")));
        Map<String, String> env = new java.util.HashMap<>(loginEnv);
        env.put("VK_MP", new String(ALICE_PW));
        Path location = work.resolve(name);
        List<String> backup = new ArrayList<>(List.of("backup", "--bitwarden-server", server.url(), "--email", alice.email(),
                "--master-password-env", "VK_MP", "--bitwarden-ca-file", server.caFile().toString(),
                "--location", location.toString(), "--no-password"));
        backup.addAll(List.of(loginArgs));
        Launcher.Result backedUp = vaultkeep.run(env, backup.toArray(String[]::new));
        assertEquals(0, backedUp.exit(), backedUp.out() + backedUp.err());
        assertTrue(backedUp.out().contains("snapshot ") && backedUp.out().contains(" committed"), backedUp.out());
        assertFalse((backedUp.out() + backedUp.err()).contains(new String(ALICE_PW)), "the master password is never printed");

        Path restored = work.resolve(name + "-restored");
        Launcher.Result restore = vaultkeep.run(Map.of(), "restore", "--location", location.toString(), "--out", restored.toString());
        assertEquals(0, restore.exit(), restore.out() + restore.err());
        JsonNode ours = JSON.readTree(restored.resolve("vault.json").toFile());
        assertEquals(normalized(JSON.readTree(cliExport.toFile()), false), normalized(ours, false));
        assertEquals(normalized(JSON.readTree(cliOrgExport.toFile()), true), normalized(ours, true));
        List<Path> attachments = files(restored.resolve("attachments"));
        assertEquals(List.of("scan.pdf"), attachments.stream().map(p -> p.getFileName().toString()).toList());
        assertArrayEquals(Files.readAllBytes(scan), Files.readAllBytes(attachments.get(0)));
    }

    // ---- the vault the CLI creates

    private static List<String> everyType(String folderId) {
        return List.of(
                """
                {"type":1,"name":"Login A","notes":"login notes","favorite":true,"folderId":"%s","reprompt":0,
                 "fields":[{"name":"pin","value":"1234","type":1},{"name":"flag","value":"true","type":2}],
                 "login":{"uris":[{"match":null,"uri":"https://a.example"},{"match":3,"uri":"https://b.example"}],
                          "username":"alice","password":"hunter2","totp":"JBSWY3DPEHPK3PXP"}}""".formatted(folderId),
                """
                {"type":2,"name":"Secure note","notes":"the note","secureNote":{"type":0}}""",
                """
                {"type":3,"name":"Card","card":{"cardholderName":"Alice A","brand":"Visa","number":"4111111111111111","expMonth":"12","expYear":"2031","code":"321"}}""",
                """
                {"type":4,"name":"Identity","identity":{"title":"Ms","firstName":"Alice","lastName":"Anders","email":"alice@example.org",
                 "address1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US","phone":"555-0100","passportNumber":"X123"}}""",
                """
                {"type":5,"name":"SSH key","sshKey":{"privateKey":"-----BEGIN OPENSSH PRIVATE KEY-----\\nAAAA\\n-----END OPENSSH PRIVATE KEY-----",
                 "publicKey":"ssh-ed25519 AAAAC3Nza alice@example.org","keyFingerprint":"SHA256:abcdef"}}""");
    }

    // ---- the engine and the repositories

    private BackupRepository repository(String id) throws Exception {
        return BackupRepository.open(FolderStore.open(work.resolve("backups").resolve(id)), new Zip4jCodec(), null, Clock.systemUTC());
    }

    private Path restore(String id, String snapshotId, char[] masterPassword) throws Exception {
        Path out = work.resolve("restored-" + id + "-" + System.nanoTime());
        try (BackupRepository repo = repository(id)) {
            IndexDocument catalogue = repo.readIndex().catalogue();
            SealedVault.Opened sealed = masterPassword == null ? null
                    : SealedVault.parse(snapshotVault(id, snapshotId)).open(masterPassword);
            SnapshotRestore.toDirectory(repo.objects(), catalogue, snapshotId, out, sealed);
        }
        return out;
    }

    private byte[] snapshotVault(String id, String snapshotId) throws Exception {
        try (BackupRepository repo = repository(id)) {
            var entry = repo.readIndex().catalogue().snapshots().get(snapshotId);
            return repo.objects().readSnapshot(entry).vaultJson();
        }
    }

    private Set<String> snapshotIds(String id) throws Exception {
        try (BackupRepository repo = repository(id)) {
            return new java.util.TreeSet<>(repo.readIndex().catalogue().snapshots().keySet());
        }
    }

    private String latest(String id) throws Exception {
        try (BackupRepository repo = repository(id)) {
            return SnapshotRestore.find(repo.readIndex().catalogue(), "latest").getKey();
        }
    }

    private static List<Path> files(Path folder) throws Exception {
        try (var walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    // ---- comparing exports

    /** The personal or the organization part of an export, items and folders/collections sorted by id. */
    private static JsonNode normalized(JsonNode export, boolean organization) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        sorted(export.path("items")).stream()
                .filter(item -> organization == item.hasNonNull("organizationId"))
                .forEach(items::add);
        out.set(organization ? "collections" : "folders", JSON.valueToTree(sorted(export.path(organization ? "collections" : "folders"))));
        return out;
    }

    private static JsonNode personalOnly(JsonNode export) {
        ObjectNode copy = export.deepCopy();
        copy.remove("collections");
        ArrayNode items = copy.putArray("items");
        export.path("items").forEach(item -> {
            if (!item.hasNonNull("organizationId")) {
                items.add(item);
            }
        });
        return copy;
    }

    /** What survives an import into another account: ids, dates and folder ids are new there; names stay. */
    private static JsonNode normalizedForImport(JsonNode export) {
        Map<String, String> folderNames = new java.util.HashMap<>();
        export.path("folders").forEach(f -> folderNames.put(f.path("id").asText(), f.path("name").asText()));
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : export.path("items")) {
            ObjectNode copy = item.deepCopy();
            for (String volatileKey : List.of("id", "revisionDate", "creationDate", "collectionIds")) {
                copy.remove(volatileKey);
            }
            JsonNode folder = copy.remove("folderId");
            if (folder != null && !folder.isNull()) {
                copy.put("folder", folderNames.get(folder.asText()));
            }
            items.add(copy);
        }
        items.sort(Comparator.comparing(i -> i.path("name").asText()));
        ObjectNode out = JSON.createObjectNode();
        out.set("items", JSON.valueToTree(items));
        out.set("folders", JSON.valueToTree(folderNames.values().stream().sorted().toList()));
        return out;
    }

    private static List<JsonNode> sorted(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        list.sort(Comparator.comparing(n -> n.path("id").asText()));
        return list;
    }
}
