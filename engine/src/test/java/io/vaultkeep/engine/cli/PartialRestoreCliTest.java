package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restore --item/--folder/--organization} in every format, and {@code dump}. */
class PartialRestoreCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIL = "7f3b2c1a-4d5e-4f60-9a7b-8c9d0e1f2a3b"; // "Example mail", folder Personal, one attachment
    private static final String WIFI = "1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d"; // "Wi-Fi at home", no folder
    private static final String VISA = "2b3c4d5e-6f70-4b1c-8d9e-0f1a2b3c4d5e"; // "Example Visa", folder Personal

    @TempDir
    Path temp;

    private Path export;
    private Path repo;
    private JsonNode original;
    private JsonNode stored;
    private final Map<String, String> env = Map.of("BACKUP_PW", "correct horse battery", "EXPORT_PW", "export pw");


    private CliRun run(String... args) {
        return CliRun.of(env, args);
    }

    private CliRun ok(String... args) {
        CliRun r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        return r;
    }

    private String[] withRepo(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--location", repo.toString(), "--password-env", "BACKUP_PW"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @BeforeEach
    void aliceWithHerAttachment() throws IOException {
        Path examples = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && examples == null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples/inbox/alice"))) {
                examples = dir.resolve("examples/inbox/alice");
            }
        }
        export = temp.resolve("export.json");
        Files.copy(examples.resolve("bitwarden_export.json"), export);
        original = JSON.readTree(export.toFile());
        Path attachments = temp.resolve("attachments");
        Files.writeString(Files.createDirectories(attachments.resolve(MAIL)).resolve("recovery-codes.txt"), "codes 1234\n");
        repo = temp.resolve("repo");
        ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        Path whole = temp.resolve("whole");
        ok(withRepo("restore", "--out", whole.toString()));
        stored = JSON.readTree(whole.resolve("vault.json").toFile());
    }

    /** The item as the snapshot holds it: the export's, with the attachment entry backup added. */
    private JsonNode storedItem(String id) {
        for (JsonNode item : stored.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id);
    }

    private JsonNode originalItem(String id) {
        for (JsonNode item : original.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id);
    }

    private static List<String> itemIds(JsonNode vault) {
        List<String> ids = new ArrayList<>();
        vault.get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.reduce((a, b) -> {
                throw new AssertionError("more than one file in " + dir);
            }).orElseThrow();
        }
    }

    @Test
    void anItemByNameIntoAFolderKeepsItWholeWithItsFolderAndAttachment() throws Exception {
        Path out = temp.resolve("folder");
        JsonNode report = JSON.readTree(ok(withRepo("restore", "--json", "--item", "Example mail", "--out", out.toString())).out());
        assertEquals(1, report.get("items").asInt());
        assertEquals(1, report.get("attachments").asInt());
        JsonNode vault = JSON.readTree(out.resolve("vault.json").toFile());
        assertEquals(List.of(MAIL), itemIds(vault));
        assertEquals(storedItem(MAIL), vault.get("items").get(0), "every field of the kept item as stored");
        assertEquals(1, vault.get("items").get(0).get("attachments").size());
        assertEquals(original.get("folders"), vault.get("folders"));
        try (Stream<Path> files = Files.walk(out.resolve("attachments"))) {
            assertEquals(1, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void anItemWithoutAttachmentsLeavesTheOthersAttachmentsAndFoldersOut() throws Exception {
        Path out = temp.resolve("zip");
        ok(withRepo("restore", "--item", WIFI, "--format", "zip", "--out", out.toString()));
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(onlyFile(out)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertEquals(List.of("data.json"), List.copyOf(entries.keySet()));
        JsonNode vault = JSON.readTree(entries.get("data.json"));
        assertEquals(List.of(WIFI), itemIds(vault));
        assertEquals(0, vault.get("folders").size(), "no kept item is in a folder");

        // json cannot carry attachments, but this part has none: no --skip-attachments needed
        Path json = temp.resolve("json");
        ok(withRepo("restore", "--item", WIFI, "--format", "json", "--out", json.toString()));
        assertEquals(List.of(WIFI), itemIds(JSON.readTree(onlyFile(json).toFile())));
    }

    @Test
    void aFolderInJsonCsvAndEncryptedJson() throws Exception {
        Path json = temp.resolve("json");
        CliRun refused = run(withRepo("restore", "--folder", "Personal", "--format", "json", "--out", json.toString()));
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("has 1 attachment, which json cannot carry"), refused.err());
        ok(withRepo("restore", "--folder", "Personal", "--format", "json", "--skip-attachments", "--out", json.toString()));
        JsonNode vault = JSON.readTree(onlyFile(json).toFile());
        assertEquals(List.of(MAIL, VISA), itemIds(vault));
        assertEquals(storedItem(VISA), vault.get("items").get(1));

        Path csv = temp.resolve("csv");
        JsonNode report = JSON.readTree(ok(withRepo("restore", "--json", "--folder", "Personal", "--format", "csv", "--skip-attachments",
                "--skip-unsupported", "--out", csv.toString())).out());
        assertEquals(1, report.get("items").asInt(), "the card is left out of csv: " + report);
        String text = Files.readString(onlyFile(csv));
        assertTrue(text.contains("Example mail") && !text.contains("Wi-Fi"), text);

        Path encrypted = temp.resolve("encrypted");
        ok(withRepo("restore", "--item", WIFI, "--format", "encrypted_json", "--export-password-env", "EXPORT_PW",
                "--out", encrypted.toString()));
        assertFalse(Files.readString(onlyFile(encrypted)).contains("example-wifi-key"));
        // backed up again from the encrypted part: exactly the one item
        repo = temp.resolve("again");
        ok(withRepo("backup", "--from", onlyFile(encrypted).toString(), "--export-password-env", "EXPORT_PW"));
        Path back = temp.resolve("back");
        ok(withRepo("restore", "--out", back.toString()));
        assertEquals(List.of(WIFI), itemIds(JSON.readTree(back.resolve("vault.json").toFile())));
    }

    @Test
    void nothingMatchedIsAnErrorAndWritesNothing() {
        Path out = temp.resolve("none");
        CliRun r = run(withRepo("restore", "--item", WIFI, "--item", "No such item", "--out", out.toString()));
        assertEquals(VaultKeepCli.EXIT_FAILURE, r.exit());
        assertEquals("vaultkeep: error: no item with id or name 'No such item' in the snapshot\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(out), "nothing written");
        CliRun folder = run(withRepo("restore", "--folder", "Nope", "--format", "zip", "--out", out.toString()));
        assertEquals(VaultKeepCli.EXIT_FAILURE, folder.exit());
        assertTrue(folder.err().contains("no folder named 'Nope'"), folder.err());
        CliRun organization = run(withRepo("restore", "--organization", "org-x", "--out", out.toString()));
        assertTrue(organization.err().contains("no item of organization org-x"), organization.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void dumpPrintsOneItemItsSecretsOnlyWhenAsked() throws Exception {
        CliRun hidden = ok(withRepo("dump", "latest", "Example mail"));
        assertFalse(hidden.out().contains("example-password-1") || hidden.out().contains("JBSWY3DPEHPK3PXP"), hidden.out());
        JsonNode redacted = JSON.readTree(hidden.out());
        assertEquals(MAIL, redacted.get("id").asText());
        assertEquals("***", redacted.get("login").get("password").asText());

        CliRun shown = ok(withRepo("dump", "latest", MAIL, "--show-secrets"));
        assertEquals(storedItem(MAIL), JSON.readTree(shown.out()));
    }

    @Test
    void dumpRefusesAnAmbiguousNameListingTheIds() throws Exception {
        ObjectNode twice = (ObjectNode) original.deepCopy();
        ObjectNode copy = ((ObjectNode) originalItem(WIFI)).deepCopy();
        copy.put("id", "99999999-0000-4000-8000-000000000000");
        ((ArrayNode) twice.get("items")).add(copy);
        Files.write(export, JSON.writeValueAsBytes(twice));
        ok(withRepo("backup", "--from", export.toString(), "--no-attachments"));
        CliRun r = run(withRepo("dump", "latest", "Wi-Fi at home"));
        assertEquals(VaultKeepCli.EXIT_FAILURE, r.exit());
        assertEquals("vaultkeep: error: 2 items are named 'Wi-Fi at home': " + WIFI
                + ", 99999999-0000-4000-8000-000000000000; give one of their ids\n", r.err());
        assertEquals("", r.out());
        CliRun missing = run(withRepo("dump", "latest", "nothing"));
        assertEquals(VaultKeepCli.EXIT_FAILURE, missing.exit());
    }
}
