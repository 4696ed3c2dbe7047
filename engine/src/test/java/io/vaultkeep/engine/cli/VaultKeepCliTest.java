package io.vaultkeep.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process with a test environment (for --password-env) and captured output. */
class VaultKeepCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = "7f3b2c1a-4d5e-4f60-9a7b-8c9d0e1f2a3b";

    @TempDir
    Path temp;

    private Path export;
    private Path attachments;
    private Path repo;
    private Map<String, String> env = Map.of("BACKUP_PW", "correct horse battery", "WRONG_PW", "not it", "EMPTY", "");


    private CliRun run(String... args) {
        return CliRun.of(env, args);
    }

    private CliRun ok(String... args) {
        CliRun r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err());
        return r;
    }

    @BeforeEach
    void exampleVault() throws IOException {
        Path examples = findExamples();
        export = temp.resolve("export.json");
        Files.copy(examples.resolve("bitwarden_export.json"), export);
        attachments = temp.resolve("attachments");
        Path itemDir = Files.createDirectories(attachments.resolve(ITEM));
        Files.write(itemDir.resolve("recovery-codes.txt"), "codes 1234\n".getBytes());
        repo = temp.resolve("repo");
    }

    private static Path findExamples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/inbox/alice");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/inbox/alice not found above " + Path.of("").toAbsolutePath());
    }

    private long blobFiles() throws IOException {
        Path blobs = repo.resolve("blobs");
        if (!Files.exists(blobs)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private String[] withRepo(String command, String... more) {
        String[] args = new String[more.length + 5];
        args[0] = command;
        args[1] = "--location";
        args[2] = repo.toString();
        args[3] = "--password-env";
        args[4] = "BACKUP_PW";
        System.arraycopy(more, 0, args, 5, more.length);
        return args;
    }

    @Test
    void anUnchangedVaultCommitsNothingUnlessForcedAndAForcedOneStoresItsAttachmentOnce() throws Exception {
        CliRun first = ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        assertTrue(first.out().contains("1 attachment (1 new blob, 0 reused"), first.out());
        String snapshot = JSON.readTree(ok(withRepo("snapshots", "--json")).out()).get(0).get("id").asText();
        CliRun again = ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        assertEquals("unchanged: the newest snapshot " + snapshot + " holds exactly this vault and its attachments;"
                + " nothing committed (--force commits another)\n", again.out());
        for (int i = 0; i < 2; i++) {
            CliRun r = ok(withRepo("backup", "--force", "--from", export.toString(), "--attachments", attachments.toString()));
            assertTrue(r.out().contains("1 attachment (0 new blobs, 1 reused"), r.out());
        }
        assertEquals(1, blobFiles());
        JsonNode list = JSON.readTree(ok(withRepo("snapshots", "--json")).out());
        assertEquals(3, list.size());
        assertEquals(5, list.get(0).get("items").asInt());
        assertEquals(1, list.get(0).get("attachments").asInt());
    }

    @Test
    void restoreGivesTheVaultAndItsAttachmentsBackAndCheckPasses() throws Exception {
        ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        Path out = temp.resolve("restored");
        ok(withRepo("restore", "--out", out.toString()));
        JsonNode vault = JSON.readTree(out.resolve("vault.json").toFile());
        JsonNode original = JSON.readTree(export.toFile());
        assertEquals(original.get("items").size(), vault.get("items").size());
        JsonNode listed = vault.get("items").get(0).get("attachments").get(0);
        assertEquals("recovery-codes.txt", listed.get("fileName").asText());
        assertTrue(listed.get("size").isNumber(), "an added entry's size is a JSON number, as Keyguard writes it: " + listed);
        assertEquals(11, listed.get("size").asLong());
        assertEquals(List.of("id", "size", "fileName"), fieldNames(listed), "an added entry has Keyguard's shape");
        Path restoredFile = out.resolve("attachments").resolve(listed.get("id").asText()).resolve("recovery-codes.txt");
        assertEquals("codes 1234\n", Files.readString(restoredFile));
        // everything else in the export is kept as it was
        ((com.fasterxml.jackson.databind.node.ObjectNode) vault.get("items").get(0)).remove("attachments");
        assertEquals(original, vault);

        Path zipDir = temp.resolve("zipped");
        ok(withRepo("restore", "--snapshot", "latest", "--out", zipDir.toString(), "--zip"));
        Path zip;
        try (Stream<Path> files = Files.list(zipDir)) {
            zip = files.findFirst().orElseThrow();
        }
        assertTrue(zip.getFileName().toString().matches("bitwarden_export_\\d{14}\\.zip"), zip.toString());
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertEquals(List.of("data.json", "attachments/" + ITEM + "/recovery-codes.txt"), names);

        CliRun check = ok(withRepo("check", "--read-data"));
        assertTrue(check.out().contains("all data read and verified"), check.out());
    }

    @Test
    void runRefusesAWrongLogFlagAsAUsageError() {
        Path config = temp.resolve("vaultkeep.conf");
        CliRun level = run("run", "--config", config.toString(), "--log-level", "loud");
        assertEquals(2, level.exit(), level.err());
        assertTrue(level.err().contains("--log-level must be error, warn, info, debug or trace, not loud"), level.err());
        CliRun format = run("run", "--config", config.toString(), "--log-format", "xml");
        assertEquals(2, format.exit(), format.err());
        assertTrue(format.err().contains("--log-format must be text or json, not xml"), format.err());
    }

    @Test
    void restoreRefusesANonEmptyFolder() throws Exception {
        ok(withRepo("backup", "--from", export.toString()));
        Path out = Files.createDirectories(temp.resolve("busy"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRun r = run(withRepo("restore", "--out", out.toString()));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is not empty"), r.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void oneFlippedByteInEachKindOfObjectIsFoundAndNamed() throws Exception {
        ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        List<Path> objects;
        try (Stream<Path> files = Files.walk(repo)) {
            // the writer lock's file is no object of the format: check does not read it
            objects = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(repo.resolve("locks"))).sorted().toList();
        }
        assertEquals(4, objects.size(), objects.toString()); // repo, index, snapshot, blob
        for (Path object : objects) {
            byte[] original = Files.readAllBytes(object);
            byte[] damaged = original.clone();
            damaged[damaged.length / 2] ^= 0x01;
            Files.write(object, damaged);
            try {
                CliRun r = run(withRepo("check", "--read-data"));
                String relative = repo.relativize(object).toString();
                assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, r.exit(), relative + ": " + r.out() + r.err());
                assertTrue(r.out().contains(relative), "check names " + relative + ":\n" + r.out());
            } finally {
                Files.write(object, original);
            }
        }
        ok(withRepo("check", "--read-data"));
    }

    @Test
    void aDamagedNewestIndexIsSaidLoudlyAndNotWrittenOver() throws Exception {
        ok(withRepo("backup", "--from", export.toString()));
        ok(withRepo("backup", "--force", "--from", export.toString()));
        Path newest;
        try (Stream<Path> files = Files.list(repo.resolve("indexes"))) {
            newest = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        byte[] damaged = Files.readAllBytes(newest);
        damaged[damaged.length / 2] ^= 0x01;
        Files.write(newest, damaged);
        String key = "indexes/" + newest.getFileName();

        CliRun list = run(withRepo("snapshots"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, list.exit(), list.out() + list.err());
        assertTrue(list.err().startsWith("warning: index generation 2 (" + key + ") is unreadable"), list.err());
        assertTrue(list.out().endsWith("\n1 snapshot\n"), "what can be read is still listed: " + list.out());

        CliRun restore = run(withRepo("restore", "--out", temp.resolve("from-the-older-index").toString()));
        assertEquals(0, restore.exit(), restore.err());
        assertTrue(restore.err().startsWith("warning: index generation 2 (" + key + ") is unreadable"), restore.err());

        CliRun backup = run(withRepo("backup", "--from", export.toString()));
        assertEquals(VaultKeepCli.EXIT_DAMAGED, backup.exit());
        assertEquals("vaultkeep: error: index generation 2 (" + key + ") is unreadable: run 'vaultkeep check', then 'vaultkeep repair'\n",
                backup.err());
        CliRun prune = run(withRepo("prune", "--keep", "1"));
        assertEquals(VaultKeepCli.EXIT_DAMAGED, prune.exit());
        assertTrue(prune.err().contains("is unreadable: run 'vaultkeep check', then 'vaultkeep repair'"), prune.err());
        try (Stream<Path> files = Files.list(repo.resolve("indexes"))) {
            assertEquals(2, files.count(), "nothing was committed over the damage");
        }
        CliRun check = run(withRepo("check"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, check.exit());
        assertTrue(check.out().contains("corrupt " + key), check.out());

        // encrypted: the second snapshot's key was only in the damaged index
        CliRun dry = run(withRepo("repair", "--dry-run"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, dry.exit(), dry.out() + dry.err());
        assertTrue(dry.out().contains("would write index generation 3: 1 snapshot, "), dry.out());
        CliRun repair = run(withRepo("repair"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, repair.exit(), repair.out() + repair.err());
        assertTrue(repair.out().lines().anyMatch(l -> l.startsWith("lost snapshot ") && l.endsWith("its key was only in the unreadable " + key)),
                repair.out());
        assertTrue(repair.out().contains("wrote indexes/00000000000000000003-"), repair.out());
        CliRun listed = ok(withRepo("snapshots"));
        assertTrue(listed.out().endsWith("\n1 snapshot\n") && listed.err().isEmpty(), listed.out() + listed.err());
        ok(withRepo("backup", "--force", "--from", export.toString()));
        CliRun after = run(withRepo("check"));
        assertTrue(after.out().contains("note: superseded index " + key + " is unreadable"), after.out());
        assertTrue(after.out().lines().filter(l -> !l.startsWith("note: ") && !l.endsWith("found"))
                .allMatch(l -> l.startsWith("orphaned snapshots/")), "only the lost snapshot remains, as an orphan: " + after.out());
    }

    @Test
    void aTruncatedSnapshotIsReportedCorrupt() throws Exception {
        ok(withRepo("backup", "--from", export.toString()));
        Path snapshot;
        try (Stream<Path> files = Files.list(repo.resolve("snapshots"))) {
            snapshot = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        CliRun r = run(withRepo("check"));
        assertEquals(VaultKeepCli.EXIT_PROBLEMS_FOUND, r.exit());
        assertTrue(r.out().contains("corrupt snapshots/" + snapshot.getFileName()), r.out());
    }

    @Test
    void pruneShowsKeptAndDroppedAndCanEvaluateLater() throws Exception {
        for (int i = 0; i < 3; i++) {
            ok(withRepo("backup", "--force", "--from", export.toString(), "--attachments", attachments.toString()));
        }
        JsonNode dry = JSON.readTree(ok(withRepo("prune", "--keep", "1", "--dry-run", "--json")).out());
        assertEquals(1, dry.get("kept").size());
        assertEquals(2, dry.get("dropped").size());
        assertEquals(3, JSON.readTree(ok(withRepo("snapshots", "--json")).out()).size(), "a dry run changes nothing");

        // 40 days later only the newest remains, whatever N
        JsonNode later = JSON.readTree(ok(withRepo("prune", "--keep", "30", "--dry-run", "--json",
                "--at", java.time.Instant.now().plus(java.time.Duration.ofDays(40)).toString())).out());
        assertEquals(1, later.get("kept").size());

        ok(withRepo("prune", "--keep", "1"));
        JsonNode after = JSON.readTree(ok(withRepo("snapshots", "--json")).out());
        assertEquals(1, after.size());
        assertEquals(dry.get("kept").get(0).asText(), after.get(0).get("id").asText());
        assertEquals(1, blobFiles(), "the kept snapshot still needs its attachment");
        ok(withRepo("check", "--read-data"));
    }

    @Test
    void passwordsAreCheckedAndModesCannotChange() throws Exception {
        ok(withRepo("init"));
        CliRun wrong = run("snapshots", "--location", repo.toString(), "--password-env", "WRONG_PW");
        assertEquals(VaultKeepCli.EXIT_WRONG_PASSWORD, wrong.exit());
        assertEquals("vaultkeep: error: wrong backup password for the repository at folder " + repo.toRealPath(), wrong.err().strip());

        CliRun none = run("snapshots", "--location", repo.toString());
        assertEquals(VaultKeepCli.EXIT_WRONG_PASSWORD, none.exit());
        assertTrue(none.err().contains("is encrypted: a backup password is required"), none.err());

        Path plain = temp.resolve("plain");
        ok("init", "--location", plain.toString(), "--no-password");
        CliRun mode = run("snapshots", "--location", plain.toString(), "--password-env", "BACKUP_PW");
        assertTrue(mode.err().contains("password mode cannot be changed"), mode.err());

        CliRun unset = run("snapshots", "--location", repo.toString(), "--password-env", "NOPE");
        assertTrue(unset.err().contains("environment variable NOPE (--password-env) is not set"), unset.err());
        CliRun again = run(withRepo("init"));
        assertTrue(again.err().contains("already exists"), again.err());
        CliRun noPassword = run("init", "--location", temp.resolve("new").toString());
        assertTrue(noPassword.err().contains("--password-env NAME or its file with --password-file FILE, or pass --no-password"),
                noPassword.err());
    }

    private Path secretFile(String name, String content, String mode) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void passwordsComeFromPrivateFilesAsFromTheEnvironment() throws Exception {
        Path file = secretFile("backup-pw", "correct horse battery\n", "r--------");
        ok("init", "--location", repo.toString(), "--password-file", file.toString());
        // the same password by the other twin opens it: the file's trailing line break is not part of it
        ok(withRepo("backup", "--from", export.toString()));
        CliRun listed = ok("snapshots", "--location", repo.toString(), "--password-file", file.toString());
        assertEquals(1, listed.out().lines().filter(l -> l.matches("^\\d{14}-.*")).count(), listed.out());

        Path shared = secretFile("shared-pw", "correct horse battery", "rw-r--r--");
        CliRun open = run("snapshots", "--location", repo.toString(), "--password-file", shared.toString());
        assertEquals(1, open.exit());
        assertEquals("vaultkeep: error: --password-file: secret file " + shared + " is open to other users (rw-r--r--): "
                + "make it private to its owner, e.g. chmod 600 " + shared, open.err().strip());
        CliRun both = run("snapshots", "--location", repo.toString(), "--password-file", file.toString(), "--password-env", "BACKUP_PW");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--password-env and --password-file exclude each other: give one"), both.err());
        CliRun missing = run("snapshots", "--location", repo.toString(), "--password-file", temp.resolve("none").toString());
        assertEquals("vaultkeep: error: --password-file: secret file " + temp.resolve("none") + " does not exist", missing.err().strip());
        CliRun plain = run("init", "--location", temp.resolve("plain").toString(), "--no-password", "--password-file", file.toString());
        assertEquals(2, plain.exit());
        for (CliRun r : List.of(open, both, missing, plain)) {
            assertFalse(r.err().contains("horse") || r.out().contains("horse"), r.err());
        }
    }

    @Test
    void webDavAndExportPasswordsTakeFileTwinsToo() throws Exception {
        Path dav = secretFile("dav-pw", "dav secret", "rw-------");
        CliRun folder = run("snapshots", "--location", repo.toString(), "--webdav-password-file", dav.toString());
        assertEquals(2, folder.exit());
        assertTrue(folder.err().contains("--webdav-password-env/-file and --webdav-ca-file apply to WebDAV locations"), folder.err());
        CliRun noUser = run("snapshots", "--location", "https://dav.example.org/x", "--webdav-password-file", dav.toString());
        assertEquals(2, noUser.exit());
        assertTrue(noUser.err().contains("--webdav-password-env/--webdav-password-file needs --webdav-user"), noUser.err());

        ok(withRepo("backup", "--from", export.toString()));
        Path exportPw = secretFile("export-pw", "export secret\n", "r--------");
        Path out = temp.resolve("encrypted");
        ok(withRepo("restore", "--out", out.toString(), "--format", "encrypted_json", "--export-password-file", exportPw.toString(),
                "--kdf-iterations", "5000"));
        Path written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.findFirst().orElseThrow();
        }
        Path again = temp.resolve("again");
        ok("backup", "--location", again.toString(), "--no-password", "--from", written.toString(),
                "--export-password-file", exportPw.toString());
        CliRun wrong = run("backup", "--location", again.toString(), "--no-password", "--from", written.toString(),
                "--export-password-file", exportPw.toString(), "--export-password-env", "WRONG_PW");
        assertEquals(2, wrong.exit());
        assertTrue(wrong.err().contains("--export-password-env and --export-password-file exclude each other"), wrong.err());

        // a live account's API key and master password: the file twins count as the options themselves
        String[] live = withRepo("backup", "--bitwarden-server", "https://vault.example.org", "--email", "a@example.org",
                "--client-id-file", dav.toString());
        CliRun halfKey = run(live);
        assertEquals(2, halfKey.exit());
        assertTrue(halfKey.err().contains("an API key is --client-id-env and --client-secret-env (or their -file twins) together"),
                halfKey.err());
        CliRun sealed = run(withRepo("backup", "--bitwarden-server", "https://vault.example.org", "--email", "a@example.org",
                "--mode", "sealed", "--client-id-file", dav.toString(), "--client-secret-file", dav.toString(),
                "--master-password-file", exportPw.toString()));
        assertEquals(2, sealed.exit());
        assertTrue(sealed.err().contains("drop --master-password-env/--master-password-file"), sealed.err());
    }

    @Test
    void diffNamesWhatChangedBetweenTwoSnapshotsButNotTheSecrets() throws Exception {
        ok(withRepo("backup", "--from", export.toString()));
        com.fasterxml.jackson.databind.node.ObjectNode vault = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(export.toFile());
        var items = (com.fasterxml.jackson.databind.node.ArrayNode) vault.get("items");
        ((com.fasterxml.jackson.databind.node.ObjectNode) items.get(0).get("login")).put("password", "rotated-diff-secret");
        items.remove(1);
        vault.withArray("folders").addObject().put("id", "f-new").put("name", "Travel");
        Files.write(export, JSON.writeValueAsBytes(vault));
        ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        List<String> ids = JSON.readTree(ok(withRepo("snapshots", "--json")).out()).findValuesAsText("id");
        String older = ids.get(1);

        CliRun text = ok(withRepo("diff", older.substring(0, 20), "latest"));
        assertTrue(text.out().startsWith(older + " ("), text.out());
        assertTrue(text.out().contains("- item 1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d \"Wi-Fi at home\"\n"), text.out());
        assertTrue(text.out().contains("M item " + ITEM + " \"Example mail\": login.password"), text.out());
        assertTrue(text.out().contains("+ folder f-new \"Travel\"\n"), text.out());
        assertTrue(text.out().contains("+ attachment " + ITEM + "/"), text.out());
        assertTrue(text.out().contains("items: 0 added, 1 removed, 1 changed; folders: 1 added, 0 removed, 0 changed;"), text.out());
        assertFalse(text.out().contains("rotated-diff-secret"), text.out());

        JsonNode json = JSON.readTree(ok(withRepo("diff", older, ids.get(0), "--json")).out());
        assertEquals(older, json.path("from").path("id").asText());
        assertEquals(ids.get(0), json.path("to").path("id").asText());
        assertEquals("Wi-Fi at home", json.path("items").path("removed").path(0).path("name").asText());
        assertEquals("login.password", json.path("items").path("changed").path(0).path("fields").path(0).asText());
        assertTrue(json.path("items").path("changed").path(0).path("values").isMissingNode(), json.toString());
        assertEquals("recovery-codes.txt", json.path("attachments").path("added").path(0).path("fileName").asText());
        assertFalse(json.toString().contains("rotated-diff-secret"), json.toString());

        CliRun shown = ok(withRepo("diff", older, "latest", "--show-secrets"));
        assertTrue(shown.out().contains("    login.password: ") && shown.out().contains(" -> \"rotated-diff-secret\""), shown.out());
        assertEquals("no differences", ok(withRepo("diff", "latest", "latest")).out().lines().skip(1).findFirst().orElseThrow());
        CliRun unknown = run(withRepo("diff", "1999", "latest"));
        assertEquals("vaultkeep: error: no snapshot 1999 in the repository (see `vaultkeep snapshots`)", unknown.err().strip());
    }

    @Test
    void errorsAreOneLineWithoutStackTracesUnlessDebug() {
        CliRun missing = run(withRepo("backup", "--from", temp.resolve("nope.json").toString()));
        assertEquals(1, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("vaultkeep: error: export file "), missing.err());

        CliRun debug = run(withRepo("backup", "--debug", "--from", temp.resolve("nope.json").toString()));
        assertTrue(debug.err().contains("\tat io.vaultkeep"), "--debug prints the stack trace");
    }

    @Test
    void badExportsAreRefusedClearly() throws Exception {
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"encrypted\": false, \"items\": [ {\"id\": \"x\", \"login\": {\"password\": \"hunter2\"");
        CliRun r = run(withRepo("backup", "--from", broken.toString()));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("ends early at line 1") && r.err().contains("looks cut off"), r.err());
        assertFalse(r.err().contains("hunter2"), "no vault content in errors");

        Path encrypted = temp.resolve("enc.json");
        Files.writeString(encrypted, "{\"encrypted\": true, \"passwordProtected\": true, \"data\": \"2.x|y|z\"}");
        CliRun noKdf = run(withRepo("backup", "--from", encrypted.toString()));
        assertEquals(1, noKdf.exit());
        assertTrue(noKdf.err().contains("enc.json: the export has no numeric \"kdfType\""), noKdf.err());

    }

    @Test
    void restoreTakesAUniquePrefixOfASnapshotIdAndListsTheCandidatesOfAnAmbiguousOne() throws Exception {
        String first = snapshotIdIn(ok(withRepo("backup", "--from", export.toString())).out());
        String second = snapshotIdIn(ok(withRepo("backup", "--force", "--from", export.toString())).out());
        int common = 0;
        while (first.charAt(common) == second.charAt(common)) {
            common++;
        }
        String unique = first.substring(0, common + 1);
        CliRun r = ok(withRepo("restore", "--snapshot", unique, "--out", temp.resolve("by-prefix").toString()));
        assertTrue(r.out().startsWith("restored snapshot " + first + " "), r.out());

        CliRun ambiguous = run(withRepo("restore", "--snapshot", first.substring(0, common), "--out", temp.resolve("none").toString()));
        assertEquals(1, ambiguous.exit());
        List<String> candidates = java.util.stream.Stream.of(first, second).sorted().toList();
        assertEquals("vaultkeep: error: snapshot id " + first.substring(0, common) + " is ambiguous: it begins 2 snapshot ids ("
                + candidates.get(0) + ", " + candidates.get(1) + "); give more of the id", ambiguous.err().strip());
        assertFalse(Files.exists(temp.resolve("none")), "nothing is written for an ambiguous id");
    }

    @Test
    void aFailedFirstBackupLeavesNoEmptyRepositoryFolderBehind() throws Exception {
        Path location = temp.resolve("new/deeper/repo");
        // no --password-env and no --no-password, and no terminal to ask on: the new repository cannot be made
        CliRun r = run("backup", "--location", location.toString(), "--from", export.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("a new repository needs a backup password"), r.err());
        assertFalse(Files.exists(temp.resolve("new")), "the folders the backup created are gone again");

        Path existing = Files.createDirectories(temp.resolve("existing"));
        run("backup", "--location", existing.toString(), "--from", export.toString());
        assertTrue(Files.isDirectory(existing), "a folder that was there before stays");
    }

    @Test
    void aFolderThatCannotBeWrittenIsNamedAsTheLocation() {
        Path root = temp.resolve("repo");
        Exception readOnly = LocationCheck.named(root,
                new java.nio.file.FileSystemException(root.resolve(".kg-tmp-1.tmp").toString(), null, "Read-only file system"));
        assertEquals("location " + root + " is not writable (read-only file system)", readOnly.getMessage());
        Exception parentReadOnly = LocationCheck.named(root,
                new java.nio.file.FileSystemException(temp.toString(), null, "Read-only file system"));
        assertEquals("location " + root + " is not writable (read-only file system)", parentReadOnly.getMessage());
        Exception denied = LocationCheck.named(root, new java.nio.file.AccessDeniedException(root.resolve("repo.zip").toString()));
        assertEquals("location " + root + " is not writable (permission denied)", denied.getMessage());
        IOException elsewhere = new java.nio.file.AccessDeniedException("/etc/shadow");
        assertTrue(LocationCheck.named(root, elsewhere) == elsewhere, "a failure elsewhere is left as it is");
    }

    @Test
    void countsOfOneReadSingular() throws Exception {
        CliRun backup = ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        assertTrue(backup.out().contains(": 5 items, 1 attachment (1 new blob, 0 reused, 0 skipped)"), backup.out());
        List<String> listed = ok(withRepo("snapshots")).out().strip().lines().toList();
        assertEquals("1 snapshot", listed.get(listed.size() - 1));
        assertEquals("ok: 1 index, 1 snapshot, 1 blob", ok(withRepo("check")).out().strip());
        CliRun restore = ok(withRepo("restore", "--out", temp.resolve("one").toString()));
        assertTrue(restore.out().strip().endsWith("(1 attachment)"), restore.out());
    }

    @Test
    void aLeftoverAttachmentFolderForAnItemNoLongerInTheExportIsLeftOutWithAWarning() throws Exception {
        Path stray = Files.createDirectories(attachments.resolve("0d1e2f3a-gone-item"));
        Files.writeString(stray.resolve("old.txt"), "from an older export");
        Files.writeString(stray.resolve("older.txt"), "from an older export too");
        CliRun r = ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        assertTrue(r.out().contains("5 items, 1 attachment ("), r.out());
        assertEquals("vaultkeep: warning: left out 2 files in " + stray + ": no item 0d1e2f3a-gone-item in " + export,
                r.err().strip(), "the one line says what was left out and why");
        Path out = temp.resolve("restored");
        ok(withRepo("restore", "--out", out.toString()));
        try (Stream<Path> files = Files.walk(out.resolve("attachments"))) {
            assertEquals(List.of("recovery-codes.txt"), files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList());
        }
    }

    /** A vault as Keyguard exports it: attachment entries with the size as a number, spacing of its own. */
    private static final String KEYGUARD_VAULT = """
            {
              "encrypted": false,
              "folders": [],
              "items": [
                {
                  "id": "%s",
                  "type": 1,
                  "name": "Passport",
                  "login": {"username": "alice", "password": "hunter2", "uris": []},
                  "attachments": [
                    {"id": "att-1", "size": 102400, "fileName": "scan.bin"},
                    { "id" : "att-2", "size" : 3.0e0, "fileName" : "x.txt", "unknownField": {"kept": [1, 2]} }
                  ],
                  "revisionDate": "2026-12-01T10:00:00.000Z"
                },
                {"id": "b2c3", "type": 2, "name": "Note", "secureNote": {"type": 0}, "attachments": null}
              ]
            }
            """.formatted(ITEM);

    @Test
    void attachmentEntriesTheExportListsRoundTripByteExactWithAndWithoutAttachments() throws Exception {
        Path vault = Files.writeString(temp.resolve("keyguard-vault.json"), KEYGUARD_VAULT);
        Path files = Files.createDirectories(temp.resolve("listed/" + ITEM));
        Files.write(files.resolve("scan.bin"), new byte[102400]);
        Files.writeString(files.resolve("x.txt"), "abc");
        for (boolean withAttachments : new boolean[] {false, true}) {
            CliRun r = ok(withAttachments
                    ? withRepo("backup", "--from", vault.toString(), "--attachments", temp.resolve("listed").toString())
                    : withRepo("backup", "--from", vault.toString()));
            Path out = temp.resolve("restored-" + withAttachments);
            ok(withRepo("restore", "--out", out.toString(), "--snapshot", snapshotIdIn(r.out())));
            assertEquals(KEYGUARD_VAULT, Files.readString(out.resolve("vault.json")),
                    (withAttachments ? "with" : "without") + " --attachments the stored vault.json is the one given, byte for byte");
        }
        Path restored = temp.resolve("restored-true/attachments");
        assertEquals(102400, Files.size(restored.resolve("att-1/scan.bin")));
        assertEquals("abc", Files.readString(restored.resolve("att-2/x.txt")));
    }

    private static String snapshotIdIn(String backupOutput) {
        return backupOutput.split(" ")[1];
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void testLocationReportsEveryStep() throws Exception {
        CliRun r = ok("test-location", "--location", temp.resolve("loc").toString(), "--json");
        JsonNode result = JSON.readTree(r.out());
        assertTrue(result.get("steps").size() >= 7, r.out());
        for (JsonNode step : result.get("steps")) {
            assertTrue(step.get("ok").asBoolean(), step.toString());
        }
        try (Stream<Path> left = Files.walk(temp.resolve("loc"))) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".probe")), "the probe is cleaned up");
        }
    }

    // ---- issue 3: encrypted exports in, Bitwarden files out

    /** Bitwarden's account-encrypted-v1 vector, from this module's test resources (see the README there). */
    private static Path accountEncryptedV1() throws Exception {
        java.net.URL url = VaultKeepCliTest.class.getResource("/bitwarden/account-encrypted-v1/export.json");
        assertNotNull(url, "the account-encrypted-v1 vector is in the test resources");
        return Path.of(url.toURI()).getParent();
    }

    private Path restoreOne(String format, String... more) throws IOException {
        Path out = temp.resolve("out-" + format + "-" + System.nanoTime());
        String[] args = new String[more.length + 4];
        args[0] = "--out";
        args[1] = out.toString();
        args[2] = "--format";
        args[3] = format;
        System.arraycopy(more, 0, args, 4, more.length);
        ok(withRepo("restore", args));
        try (Stream<Path> files = Files.list(out)) {
            return files.findFirst().orElseThrow();
        }
    }

    @Test
    void encryptedJsonRestoresAndBacksUpAgainWithBothKdfs() throws Exception {
        env = Map.of("BACKUP_PW", "correct horse battery", "EXPORT_PW", "export secret");
        ok(withRepo("backup", "--from", export.toString()));
        Path json = restoreOne("json");
        assertTrue(json.getFileName().toString().matches("bitwarden_export_\\d{14}\\.json"), json.toString());
        assertEquals(Files.readString(export), Files.readString(json), "the export without attachments, byte for byte");

        for (String[] kdf : new String[][] {{"--kdf", "pbkdf2"}, {"--kdf", "argon2id", "--kdf-memory", "16", "--kdf-iterations", "2"}}) {
            String[] args = new String[kdf.length + 2];
            args[0] = "--export-password-env";
            args[1] = "EXPORT_PW";
            System.arraycopy(kdf, 0, args, 2, kdf.length);
            Path encrypted = restoreOne("encrypted_json", args);
            JsonNode header = JSON.readTree(encrypted.toFile());
            assertTrue(header.get("passwordProtected").asBoolean());
            assertEquals(kdf[1].equals("pbkdf2") ? 0 : 1, header.get("kdfType").asInt());
            assertFalse(Files.readString(encrypted).contains("example-password-1"));

            repo = temp.resolve("again-" + kdf[1]);
            ok(withRepo("backup", "--from", encrypted.toString(), "--export-password-env", "EXPORT_PW"));
            Path back = restoreOne("json");
            assertEquals(JSON.readTree(export.toFile()), JSON.readTree(back.toFile()));

            CliRun wrong = run(withRepo("backup", "--from", encrypted.toString(), "--export-password-env", "BACKUP_PW"));
            assertEquals(1, wrong.exit());
            assertTrue(wrong.err().contains("wrong export password"), wrong.err());
            repo = temp.resolve("repo");
        }
    }

    @Test
    void formatsThatCannotCarryAttachmentsSaySo() throws Exception {
        ok(withRepo("backup", "--from", export.toString(), "--attachments", attachments.toString()));
        CliRun refused = run(withRepo("restore", "--out", temp.resolve("x").toString(), "--format", "json"));
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("has 1 attachment, which json cannot carry: use --format zip"), refused.err());
        CliRun skipped = run(withRepo("restore", "--out", temp.resolve("y").toString(), "--format", "json", "--skip-attachments"));
        assertEquals(0, skipped.exit());
        assertTrue(skipped.err().contains("1 attachment not restored"), skipped.err());
    }

    @Test
    void abusiveKdfParametersAreRefusedBeforeAnyWork() {
        env = Map.of("BACKUP_PW", "correct horse battery", "EXPORT_PW", "export secret");
        ok(withRepo("backup", "--from", export.toString()));
        CliRun r = run(withRepo("restore", "--out", temp.resolve("z").toString(), "--format", "encrypted_json",
                "--export-password-env", "EXPORT_PW", "--kdf", "argon2id", "--kdf-memory", "4096"));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("1024"), r.err());
        CliRun low = run(withRepo("restore", "--out", temp.resolve("z2").toString(), "--format", "encrypted_json",
                "--export-password-env", "EXPORT_PW", "--kdf-iterations", "1000"));
        assertEquals(1, low.exit());
        assertTrue(low.err().contains("5000") || low.err().contains("5,000"), low.err());
    }

    @Test
    void anAccountRestrictedExportOpensWithTheAccountsKeys() throws Exception {
        Path data = accountEncryptedV1();
        JsonNode account = JSON.readTree(data.resolve("account.json").toFile());
        String protectedKey = account.get("method").get("masterPasswordUnlock").get("master_password_unlock")
                .get("masterKeyWrappedUserKey").asText();
        env = Map.of("BACKUP_PW", "correct horse battery", "MASTER_PW", "asdfasdfasdf", "WRONG", "asdfasdfasdg");
        Path file = data.resolve("export.json");
        CliRun missing = run(withRepo("backup", "--from", file.toString()));
        assertTrue(missing.err().contains("account-restricted encrypted export"), missing.err());

        CliRun wrong = run(withRepo("backup", "--from", file.toString(), "--email", "test@bitwarden.com",
                "--master-password-env", "WRONG", "--protected-key", protectedKey));
        assertEquals(1, wrong.exit());
        assertFalse(wrong.err().contains("asdf"), "no secret in the message");

        ok(withRepo("backup", "--from", file.toString(), "--email", "test@bitwarden.com", "--master-password-env", "MASTER_PW",
                "--kdf", "pbkdf2", "--kdf-iterations", "600000", "--protected-key", protectedKey));
        JsonNode restored = JSON.readTree(restoreOne("json").toFile());
        String userKey = JSON.readTree(data.resolve("derived.json").toFile()).get("userKey").asText();
        env = Map.of("BACKUP_PW", "correct horse battery", "USER_KEY", userKey);
        ok(withRepo("backup", "--from", file.toString(), "--user-key-env", "USER_KEY"));
        assertEquals(restored, JSON.readTree(restoreOne("json").toFile()), "the user key opens it the same way");
        assertFalse(restored.get("encrypted").asBoolean());
        assertEquals(8, restored.get("items").size());
        JsonNode expected = JSON.readTree(data.resolve("expected.json").toFile());
        assertEquals(expected.get("ciphers").get(0).get("name").asText(), restored.get("items").get(0).get("name").asText());
    }

    @Test
    void csvRestoresWhatItCanCarryOnlyWhenToldAndReadsBack() throws Exception {
        ok(withRepo("backup", "--from", export.toString()));
        CliRun refused = run(withRepo("restore", "--out", temp.resolve("c1").toString(), "--format", "csv"));
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("csv cannot carry this vault whole") && refused.err().contains("--skip-unsupported"), refused.err());

        Path csv = restoreOne("csv", "--skip-unsupported");
        String text = Files.readString(csv);
        assertTrue(text.startsWith("folder,favorite,type,name,notes,fields,reprompt,archivedDate,login_uri,login_username,login_password,login_totp"), text);
        assertTrue(text.contains("alice@example.org") && text.contains("Wi-Fi at home"), text);

        repo = temp.resolve("from-csv");
        ok(withRepo("backup", "--from", csv.toString()));
        JsonNode back = JSON.readTree(restoreOne("json").toFile());
        assertEquals(2, back.get("items").size(), "the login and the note");
        assertEquals("example-password-1", back.get("items").get(0).get("login").get("password").asText());
    }
}
