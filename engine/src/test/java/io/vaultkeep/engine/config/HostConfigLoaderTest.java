package io.vaultkeep.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.ConfigException.Problem;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigLoaderTest {

    @TempDir
    Path temp;

    /** The config file lives in its own folder, so relative paths visibly resolve against it. */
    private Path confDir;
    private final Map<String, String> env = new HashMap<>(Map.of(
            "ALICE_EXPORT_PW", "export secret 1",
            "ALICE_BACKUP_PW", "backup secret 2",
            "EMPTY_PW", ""));

    @BeforeEach
    void folders() throws IOException {
        confDir = Files.createDirectories(temp.resolve("conf"));
        Files.createDirectories(confDir.resolve("inbox/alice"));
        Files.createDirectories(confDir.resolve("inbox/bob"));
    }

    private Path write(String text) throws IOException {
        Path file = confDir.resolve("vaultkeep.conf");
        Files.writeString(file, text);
        return file;
    }

    private HostConfig load(String text) throws Exception {
        return HostConfigLoader.load(write(text), env::get);
    }

    private ConfigException fails(String text) throws IOException {
        Path file = write(text);
        return assertThrows(ConfigException.class, () -> HostConfigLoader.load(file, env::get));
    }

    /** 1-based number of the only line of {@code text} containing {@code marker}. */
    private static int lineOf(String text, String marker) {
        List<String> lines = text.lines().toList();
        List<Integer> hits = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                hits.add(i + 1);
            }
        }
        assertEquals(1, hits.size(), "marker '" + marker + "' should be on exactly one line");
        return hits.get(0);
    }

    private static Problem problemAt(ConfigException e, String path) {
        List<Problem> found = e.problems().stream().filter(p -> p.path().equals(path)).toList();
        assertEquals(1, found.size(), () -> "one problem at " + path + " in:\n" + e.getMessage());
        return found.get(0);
    }

    /** Asserts the problem at {@code path} is on the line of {@code marker}, says {@code says}, and appears so in the message. */
    private Problem assertProblem(ConfigException e, String text, String path, String marker, String says) {
        Problem p = problemAt(e, path);
        assertEquals(lineOf(text, marker), p.line(), () -> "line of " + path + " in:\n" + e.getMessage());
        assertTrue(p.message().contains(says), () -> path + ": '" + p.message() + "' should say '" + says + "'");
        String expectedLine = confDir.resolve("vaultkeep.conf") + ":" + p.line() + ": " + path + ": " + p.message();
        assertTrue(e.getMessage().lines().anyMatch(expectedLine::equals), () -> "message has '" + expectedLine + "':\n" + e.getMessage());
        return p;
    }

    private static String account(String body) {
        return "vaultkeep {\n  accounts = [\n" + body + "\n  ]\n}\n";
    }

    private static final String ALICE = """
                { id = "alice"
                  source { export-folder { path = "./inbox/alice" } }
                  location { folder { path = "./backups/alice" } } }""";

    @Test
    void aFullConfigLoadsWithEveryValueAndPathsResolvedAgainstTheFile() throws Exception {
        HostConfig config = load("""
                vaultkeep {
                  data-dir = "./state"
                  limits { max-concurrent-runs = 2, io-threads = 3 }
                  status { host = "::1", port = 9999 }
                  debounce { quiet = 250ms, max-delay = 2m }
                  accounts = [
                    { id = "alice"
                      source { export-folder { path = "./inbox/alice", export-password-env = "ALICE_EXPORT_PW",
                                               rescan-interval = 10s, settle-time = 300ms } }
                      location { folder { path = "./backups/alice" } }
                      password-env = "ALICE_BACKUP_PW"
                      retention = 60
                      include-attachments = false }
                    { id = "bob.smith_2-x"
                      source { push {} }
                      location { folder { path = "/srv/backups/bob" } }
                      retention = "never" }
                  ]
                }
                pekko { loglevel = "DEBUG" }
                """);
        assertEquals(confDir.resolve("vaultkeep.conf"), config.configFile());
        assertEquals(confDir.resolve("state"), config.dataDir());
        assertEquals(new HostConfig.Limits(2, 3), config.limits());
        assertEquals(new StatusEndpoint("::1", 9999), config.status());
        assertEquals("http://[::1]:9999", config.status().url());
        assertEquals(new HostConfig.DebounceSettings(Duration.ofMillis(250), Duration.ofMinutes(2)), config.debounce());
        assertEquals("DEBUG", config.pekko().getString("pekko.loglevel"));
        assertEquals(2, config.accounts().size());

        AccountConfig alice = config.account("alice").orElseThrow();
        SourceConfig.ExportFolder source = assertInstanceOf(SourceConfig.ExportFolder.class, alice.source());
        assertEquals(confDir.resolve("inbox/alice"), source.folder());
        assertEquals(confDir.resolve("inbox/alice/attachments"), source.attachmentsFolder());
        assertArrayEquals("export secret 1".toCharArray(), source.exportPassword().orElseThrow().copy());
        assertEquals(Duration.ofSeconds(10), source.rescanInterval());
        assertEquals(Duration.ofMillis(300), source.settleTime());
        assertEquals(new LocationConfig.Folder(confDir.resolve("backups/alice")), alice.location());
        assertArrayEquals("backup secret 2".toCharArray(), alice.backupPassword().orElseThrow().copy());
        assertEquals("environment variable ALICE_BACKUP_PW", alice.backupPassword().orElseThrow().origin());
        assertEquals(new Retention.Keep(60), alice.retention());
        assertFalse(alice.includeAttachments());

        AccountConfig bob = config.account("bob.smith_2-x").orElseThrow();
        assertEquals(new SourceConfig.Push(), bob.source());
        assertEquals(new LocationConfig.Folder(Path.of("/srv/backups/bob")), bob.location());
        assertEquals(Optional.empty(), bob.backupPassword());
        assertEquals(new Retention.Never(), bob.retention());
        assertTrue(bob.includeAttachments());

        // nothing was created by loading
        assertFalse(Files.exists(confDir.resolve("state")));
        assertFalse(Files.exists(confDir.resolve("backups")));
    }

    @Test
    void omittedSettingsTakeTheirDocumentedDefaults() throws Exception {
        HostConfig config = load(account(ALICE));
        assertEquals(confDir.resolve("data"), config.dataDir());
        assertEquals(new HostConfig.Limits(4, 8), config.limits());
        assertEquals(new StatusEndpoint("127.0.0.1", 8420), config.status());
        assertEquals("http://127.0.0.1:8420", config.status().url());
        assertEquals(new HostConfig.DebounceSettings(Duration.ofSeconds(5), Duration.ofSeconds(60)), config.debounce());
        assertTrue(config.pekko().isEmpty());
        AccountConfig alice = config.accounts().get(0);
        assertEquals(new Retention.Keep(30), alice.retention());
        assertTrue(alice.includeAttachments());
        assertEquals(Optional.empty(), alice.backupPassword());
        SourceConfig.ExportFolder source = (SourceConfig.ExportFolder) alice.source();
        assertEquals(Optional.empty(), source.exportPassword());
        assertEquals(Duration.ofSeconds(30), source.rescanInterval());
        assertEquals(Duration.ofSeconds(1), source.settleTime());
        assertEquals(List.of(), load("vaultkeep {}").accounts());
    }

    @Test
    void secretsNeverShowInToStrings() throws Exception {
        HostConfig config = load(account("""
                { id = "alice", password-env = "ALICE_BACKUP_PW"
                  source { export-folder { path = "./inbox/alice", export-password-env = "ALICE_EXPORT_PW" } }
                  location { folder { path = "./backups/alice" } } }"""));
        String printed = config.toString();
        assertFalse(printed.contains("secret 1") || printed.contains("secret 2"), printed);
        assertTrue(printed.contains("Secret(environment variable ALICE_BACKUP_PW)"), printed);
        Secret secret = config.accounts().get(0).backupPassword().orElseThrow();
        secret.wipe();
        assertThrows(IllegalStateException.class, secret::copy);
    }

    private Path secretFile(String name, String content, String mode) throws IOException {
        Path file = confDir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void everySecretComesFromAPrivateFileAsWellRelativeToTheConfig() throws Exception {
        secretFile("backup-pw", "file backup 1\n", "r--------");
        secretFile("export-pw", "file export 2", "rw-------");
        secretFile("dav-pw", "file dav 3\n", "r--------");
        Path creds = Files.createDirectories(temp.resolve("credentials"));
        for (String name : List.of("client-id", "client-secret", "master-pw")) {
            Files.writeString(creds.resolve(name), "file " + name);
            Files.setPosixFilePermissions(creds.resolve(name), PosixFilePermissions.fromString("r--------"));
        }
        HostConfig config = load(account("""
                { id = "alice", password-file = "backup-pw"
                  source { export-folder { path = "./inbox/alice", export-password-file = "export-pw" } }
                  location { webdav { url = "https://dav.example.org/alice", user = "alice", password-file = "dav-pw" } } }
                { id = "carol"
                  source { bitwarden { server = "https://vault.example.org", email = "carol@example.org"
                                       client-id-file = "%1$s/client-id", client-secret-file = "%1$s/client-secret"
                                       master-password-file = "%1$s/master-pw" } }
                  location { folder { path = "./backups/carol" } } }""".formatted(creds)));
        AccountConfig alice = config.accounts().get(0);
        assertArrayEquals("file backup 1".toCharArray(), alice.backupPassword().orElseThrow().copy());
        assertEquals("file " + confDir.resolve("backup-pw"), alice.backupPassword().orElseThrow().origin());
        SourceConfig.ExportFolder folder = (SourceConfig.ExportFolder) alice.source();
        assertArrayEquals("file export 2".toCharArray(), folder.exportPassword().orElseThrow().copy());
        LocationConfig.WebDav dav = (LocationConfig.WebDav) alice.location();
        assertArrayEquals("file dav 3".toCharArray(), dav.password().orElseThrow().copy());
        SourceConfig.Bitwarden carol = (SourceConfig.Bitwarden) config.accounts().get(1).source();
        assertArrayEquals("file client-id".toCharArray(), carol.clientId().orElseThrow().copy());
        assertArrayEquals("file client-secret".toCharArray(), carol.clientSecret().orElseThrow().copy());
        assertArrayEquals("file master-pw".toCharArray(), carol.masterPassword().orElseThrow().copy());
        String printed = config.toString();
        assertFalse(printed.contains("file backup 1") || printed.contains("file master-pw"), printed);
    }

    @Test
    void secretFileMistakesAreReportedAtTheirLineWithoutTheSecret() throws Exception {
        secretFile("shared-pw", "world readable secret", "rw-r--r--");
        secretFile("group-pw", "group readable secret", "rw-r-----");
        secretFile("ok-pw", "fine", "rw-------");
        String text = account("""
                { id = "a1", password-file = "shared-pw"
                  source { push {} }, location { folder { path = "./backups/a1" } } }
                { id = "a2", password-env = "ALICE_BACKUP_PW", password-file = "ok-pw"
                  source { push {} }, location { folder { path = "./backups/a2" } } }
                { id = "a3", source { export-folder { path = "./inbox/alice", export-password-file = "nowhere" } }
                  location { folder { path = "./backups/a3" } } }
                { id = "a4", source { bitwarden { server = "https://vault.example.org", email = "a4@example.org"
                                                 mode = sealed, client-id-file = "ok-pw" } }
                  location { webdav { url = "https://dav.example.org/a4", password-file = "group-pw" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].password-file", "shared-pw", "secret file " + confDir.resolve("shared-pw")
                + " is open to other users (rw-r--r--): make it private to its owner, e.g. chmod 600");
        assertProblem(e, text, "vaultkeep.accounts[1].password-file", "password-file = \"ok-pw\"", "password-env and password-file exclude each other");
        assertProblem(e, text, "vaultkeep.accounts[2].source.export-folder.export-password-file", "nowhere",
                "secret file " + confDir.resolve("nowhere") + " does not exist");
        assertProblem(e, text, "vaultkeep.accounts[3].source.bitwarden.client-id-file", "client-id-file", "together");
        assertProblem(e, text, "vaultkeep.accounts[3].location.webdav.password-file", "group-pw", "open to other users (rw-r-----)");
        assertEquals(5, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains("readable secret") || e.getMessage().contains("fine"), e.getMessage());
    }

    @Test
    void unknownKeysAreReportedAtEveryLevelWithTheNearestKnownKey() throws Exception {
        String text = """
                vaultkep { }
                vaultkeep {
                  limits { io-thread = 3 }
                  status { prt = 1 }
                  accounts = [
                    { id = "alice"
                      source { export-folder { pth = "./inbox/alice" } }
                      location { folder { path = "./backups/alice", colour = "blue" } }
                      retension = 30 }
                  ]
                }
                """;
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkep", "vaultkep {", "unknown key (did you mean 'vaultkeep'?)");
        assertProblem(e, text, "vaultkeep.limits.io-thread", "io-thread", "did you mean 'io-threads'?");
        assertProblem(e, text, "vaultkeep.status.prt", "prt", "did you mean 'port'?");
        assertProblem(e, text, "vaultkeep.accounts[0].source.export-folder.pth", "pth", "did you mean 'path'?");
        assertProblem(e, text, "vaultkeep.accounts[0].location.folder.colour", "colour", "unknown key");
        assertProblem(e, text, "vaultkeep.accounts[0].retension", "retension", "did you mean 'retention'?");
        // pth also means the required path is missing
        assertProblem(e, text, "vaultkeep.accounts[0].source.export-folder.path", "pth", "missing");
        assertEquals(7, e.problems().size(), e.getMessage());
    }

    @Test
    void missingRequiredKeysAreNamed() throws Exception {
        String text = account("""
                { retention = 30  # no id
                  location { folder { } } }
                { id = "bob"
                  source { export-folder { path = "./inbox/bob" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].id", "no id", "missing: the account's id");
        assertProblem(e, text, "vaultkeep.accounts[0].source", "no id", "missing: source");
        assertProblem(e, text, "vaultkeep.accounts[0].location.folder.path", "folder { }", "missing: the repository's folder");
        assertProblem(e, text, "vaultkeep.accounts[1].location", "\"bob\"", "missing: location");
        assertEquals(4, e.problems().size(), e.getMessage());

        String noRoot = "accounts = []\n";
        ConfigException rootless = fails(noRoot);
        assertTrue(rootless.problems().stream().anyMatch(p -> p.path().equals("vaultkeep") && p.message().startsWith("missing")),
                rootless.getMessage());
    }

    @Test
    void wrongTypesAreReportedWithWhatWasExpected() throws Exception {
        String text = """
                vaultkeep {
                  data-dir = { a = 1 }
                  limits { max-concurrent-runs = "many", io-threads = 2.5 }
                  status = 8420
                  accounts = [
                    "alice"
                    { id = "bob"
                      source = "folder"
                      location { folder { path = [ "a" ] } }
                      include-attachments = "sure" }
                  ]
                }
                """;
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.data-dir", "data-dir", "expected a string, got a block");
        assertProblem(e, text, "vaultkeep.limits.max-concurrent-runs", "limits", "expected a whole number, got the string \"many\"");
        assertProblem(e, text, "vaultkeep.limits.io-threads", "limits", "expected a whole number, got the number 2.5");
        assertProblem(e, text, "vaultkeep.status", "status", "expected a block { … }, got the number 8420");
        assertProblem(e, text, "vaultkeep.accounts[0]", "\"alice\"", "expected an account block");
        assertProblem(e, text, "vaultkeep.accounts[1].source", "source =", "expected a block { … }, got the string \"folder\"");
        assertProblem(e, text, "vaultkeep.accounts[1].location.folder.path", "path = [", "expected a string, got a list");
        assertProblem(e, text, "vaultkeep.accounts[1].include-attachments", "include-attachments", "expected true or false");
        assertEquals(8, e.problems().size(), e.getMessage());

        String notAList = "vaultkeep {\n  accounts { id = \"alice\" }\n}\n";
        assertProblem(fails(notAList), notAList, "vaultkeep.accounts", "accounts", "expected a list [ … ], got a block");
    }

    @Test
    void durationsNeedAUnitAndAValidValue() throws Exception {
        String text = """
                vaultkeep {
                  debounce { quiet = 5, max-delay = soon }
                }
                """;
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.debounce.quiet", "quiet", "expected a duration with a unit such as 5s");
        assertProblem(e, text, "vaultkeep.debounce.max-delay", "quiet", "'soon' is not a duration");

        String inverted = "vaultkeep {\n  debounce {\n    quiet = 10s\n    max-delay = 2s\n  }\n}\n";
        assertProblem(fails(inverted), inverted, "vaultkeep.debounce.max-delay", "max-delay", "must be at least quiet (10s), not 2s");

        String tooFast = account("""
                { id = "alice"
                  source { export-folder { path = "./inbox/alice", rescan-interval = 1ms } }
                  location { folder { path = "./backups/alice" } } }""");
        assertProblem(fails(tooFast), tooFast, "vaultkeep.accounts[0].source.export-folder.rescan-interval", "rescan-interval",
                "must be at least 100ms, not 1ms");
    }

    @Test
    void healthSettingsAndMaxAgeLoadWithTheirDefaults() throws Exception {
        HostConfig defaults = load(account(ALICE));
        assertEquals(new HostConfig.HealthSettings(3, Duration.ofHours(1)), defaults.health());
        assertEquals(Optional.empty(), defaults.accounts().get(0).maxAge());

        HostConfig config = load("""
                vaultkeep {
                  health { failure-threshold = 5, attention-retry-ceiling = 6h }
                  accounts = [
                    { id = "alice"
                      source { export-folder { path = "./inbox/alice" } }
                      location { folder { path = "./backups/alice" } }
                      max-age = 26h }
                  ]
                }
                """);
        assertEquals(new HostConfig.HealthSettings(5, Duration.ofHours(6)), config.health());
        assertEquals(Optional.of(Duration.ofHours(26)), config.accounts().get(0).maxAge());
    }

    @Test
    void healthMistakesAreReportedAtTheirLines() throws Exception {
        String text = """
                vaultkeep {
                  health {
                    failure-threshold = 0
                    attention-retry-ceiling = 30d
                    alert = yes
                  }
                  accounts = [
                    { id = "alice"
                      source { export-folder { path = "./inbox/alice" } }
                      location { folder { path = "./backups/alice" } }
                      max-age = 26 }
                  ]
                }
                """;
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.health.failure-threshold", "failure-threshold", "must be between 1 and 1000, not 0");
        assertProblem(e, text, "vaultkeep.health.attention-retry-ceiling", "attention-retry-ceiling", "must be at most 7d, not 30d");
        assertProblem(e, text, "vaultkeep.health.alert", "alert", "unknown");
        assertProblem(e, text, "vaultkeep.accounts[0].max-age", "max-age", "expected a duration with a unit such as 5s");

        String zero = account("""
                { id = "alice"
                  source { export-folder { path = "./inbox/alice" } }
                  location { folder { path = "./backups/alice" } }
                  max-age = 0s }""");
        assertProblem(fails(zero), zero, "vaultkeep.accounts[0].max-age", "max-age", "must be at least 1s, not 0s");
    }

    /** The first {@code vaultkeep { … }} block of the README after {@code heading}. */
    private static String readmeExample(String heading) throws IOException {
        Path readme = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(readme.resolve("README.md")) || !Files.isDirectory(readme.resolve("engine"))) {
            readme = readme.getParent();
        }
        String text = Files.readString(readme.resolve("README.md"));
        int start = text.indexOf("```\nvaultkeep {", text.indexOf(heading)) + 4;
        return text.substring(start, text.indexOf("```", start));
    }

    /** The README's health block, as written, loads to what its comments say. */
    @Test
    void theReadmesHealthExampleLoads() throws Exception {
        HostConfig config = load(readmeExample("### Health"));
        assertEquals(new HostConfig.HealthSettings(3, Duration.ofHours(1)), config.health());
        assertEquals(Optional.of(Duration.ofHours(26)), config.account("alice").orElseThrow().maxAge());
    }

    @Test
    void aLongQuietWindowRaisesTheDefaultMaximumDelayWithIt() throws Exception {
        HostConfig config = load("vaultkeep { debounce { quiet = 90s } }");
        assertEquals(Duration.ofSeconds(90), config.debounce().maxDelay());
    }

    @Test
    void retentionIsOneOfKeyguardsChoicesOrNever() throws Exception {
        for (int keep : Retention.CHOICES) {
            String chosen = account("{ id = \"alice\", retention = " + keep + ", source { push {} }, location { folder { path = \"./b\" } } }");
            assertEquals(new Retention.Keep(keep), load(chosen).accounts().get(0).retention());
        }
        String text = account("""
                { id = "alice", retention = 7
                  source { push {} }
                  location { folder { path = "./backups/a" } } }
                { id = "bob", retention = "forever"
                  source { push {} }
                  location { folder { path = "./backups/b" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].retention", "retention = 7", "must be one of 5, 10, 30, 60, 90 or \"never\", not the number 7");
        assertProblem(e, text, "vaultkeep.accounts[1].retention", "forever", "not the string \"forever\"");
        assertThrows(IllegalArgumentException.class, () -> new Retention.Keep(7));
    }

    @Test
    void accountIdsMustBeShortPlainNames() throws Exception {
        String longId = "a".repeat(65);
        String text = account("""
                { id = "-alice", source { push {} }, location { folder { path = "./b/1" } } }
                { id = "al ice", source { push {} }, location { folder { path = "./b/2" } } }
                { id = "%s", source { push {} }, location { folder { path = "./b/3" } } }
                { id = "%s", source { push {} }, location { folder { path = "./b/4" } } }""".formatted(longId, "a".repeat(64)));
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].id", "-alice", "'-alice' is not a valid account id");
        assertProblem(e, text, "vaultkeep.accounts[1].id", "al ice", "is not a valid account id");
        assertProblem(e, text, "vaultkeep.accounts[2].id", longId, "is not a valid account id");
        assertEquals(3, e.problems().size(), e.getMessage()); // 64 characters are fine
    }

    @Test
    void duplicateIdsAreReportedAtTheSecondWithTheFirstsLine() throws Exception {
        String text = account("""
                { id = "alice", source { push {} }, location { folder { path = "./b/1" } } }
                { id = "bob", source { push {} }, location { folder { path = "./b/2" } } }
                { id = "alice", source { push {} }, location { folder { path = "./b/3" } } } # again
                { id = "Bob", source { push {} }, location { folder { path = "./b/4" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[2].id", "# again", "duplicate account id 'alice': account 'alice' at line "
                + lineOf(text, "./b/1"));
        assertProblem(e, text, "vaultkeep.accounts[3].id", "\"Bob\"", "ids must differ in more than case");
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void twoAccountsCannotShareOrNestARepositoryFolder() throws Exception {
        String text = account("""
                { id = "alice", source { push {} }, location { folder { path = "./backups/alice" } } }
                { id = "bob", source { push {} }, location { folder { path = "backups/x/../alice/" } } }
                { id = "carol", source { push {} }, location { folder { path = "./backups" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[1].location", "\"bob\"", "same location " + confDir.resolve("backups/alice")
                + " as account 'alice' (line " + lineOf(text, "\"alice\"") + ")");
        List<Problem> carol = e.problems().stream().filter(p -> p.path().equals("vaultkeep.accounts[2].location")).toList();
        assertEquals(2, carol.size(), e.getMessage()); // nested in both alice's and bob's folder
        assertTrue(carol.get(0).message().contains("are nested"), carol.get(0).message());
        assertEquals(lineOf(text, "\"carol\""), carol.get(0).line());
    }

    @Test
    void bitwardenSourcesLoadInBothModesAndTheirMistakesAreNamed() throws Exception {
        env.put("ALICE_CID", "user.8c1a");
        env.put("ALICE_CSECRET", "api secret 3");
        env.put("ALICE_MP", "master secret 4");
        Files.writeString(confDir.resolve("bw-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        HostConfig config = load(account("""
                { id = "alice", location { folder { path = "./backups/a" } }
                  source { bitwarden { server = "https://vault.example.org", email = "alice@example.org", client-id-env = "ALICE_CID",
                                       client-secret-env = "ALICE_CSECRET", master-password-env = "ALICE_MP", poll-interval = 45s,
                                       ca-file = "bw-ca.pem" } } }
                { id = "bob", location { folder { path = "./backups/b" } }
                  source { bitwarden { server = "https://vault.example.org", email = "bob@example.org", client-id-env = "ALICE_CID",
                                       client-secret-env = "ALICE_CSECRET", mode = sealed } } }"""));
        SourceConfig.Bitwarden alice = (SourceConfig.Bitwarden) config.accounts().get(0).source();
        assertEquals(java.net.URI.create("https://vault.example.org"), alice.server());
        assertEquals(io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.DECRYPT, alice.mode());
        assertArrayEquals("master secret 4".toCharArray(), alice.masterPassword().orElseThrow().copy());
        assertArrayEquals("api secret 3".toCharArray(), alice.clientSecret().orElseThrow().copy());
        assertEquals(java.time.Duration.ofSeconds(45), alice.pollInterval());
        assertEquals(Optional.of(confDir.resolve("bw-ca.pem")), alice.caFile());
        assertFalse(alice.toString().contains("api secret 3") || alice.toString().contains("master secret 4"), alice.toString());
        SourceConfig.Bitwarden bob = (SourceConfig.Bitwarden) config.accounts().get(1).source();
        assertEquals(io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.SEALED, bob.mode());
        assertEquals(SourceConfig.Bitwarden.DEFAULT_POLL_INTERVAL, bob.pollInterval());

        HostConfig byPassword = load(account("""
                { id = "carl", location { folder { path = "./backups/c" } }
                  source { bitwarden { server = "https://vault.example.org", email = "carl@example.org", master-password-env = "ALICE_MP" } } }"""));
        SourceConfig.Bitwarden carl = (SourceConfig.Bitwarden) byPassword.accounts().get(0).source();
        assertEquals(Optional.empty(), carl.clientId(), "decrypt mode without an API key logs in with the master password");
        String halfKey = account("""
                { id = "s1", location { folder { path = "./b/s1" } }
                  source { bitwarden { server = "https://vault.example.org", email = "s1@example.org", mode = sealed } } }
                { id = "s2", location { folder { path = "./b/s2" } }
                  source { bitwarden { server = "https://vault.example.org", email = "s2@example.org", client-id-env = "ALICE_CID",
                                       master-password-env = "ALICE_MP" } } }""");
        ConfigException half = fails(halfKey);
        assertProblem(half, halfKey, "vaultkeep.accounts[0].source.bitwarden.client-id-env", "s1@example", "sealed mode logs in with the personal API key");
        assertProblem(half, halfKey, "vaultkeep.accounts[1].source.bitwarden.client-id-env", "ALICE_CID", "together");

        String text = account("""
                { id = "b1", location { folder { path = "./b/1" } }
                  source { bitwarden { server = "http://vault.example.org", email = "b1@example.org", client-id-env = "ALICE_CID",
                                       client-secret-env = "ALICE_CSECRET", master-password-env = "ALICE_MP" } } }
                { id = "b2", location { folder { path = "./b/2" } }
                  source { bitwarden { server = "https://vault.example.org", email = "b2@example.org", client-id-env = "ALICE_CID",
                                       client-secret-env = "ALICE_CSECRET", mode = sealed, master-password-env = "ALICE_MP" } } }
                { id = "b3", location { folder { path = "./b/3" } }
                  source { bitwarden { server = "https://vault.example.org", email = "b3@example.org", client-id-env = "ALICE_CID",
                                       client-secret-env = "ALICE_CSECRET" } } }
                { id = "b4", location { folder { path = "./b/4" } }
                  source { bitwarden { server = "https://vault.example.org", email = "b4@example.org", client-id-env = "ALICE_CID",
                                       client-secret-env = "NOT_SET_SECRET", mode = fast } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].source.bitwarden.server", "http://vault", "https://");
        assertProblem(e, text, "vaultkeep.accounts[1].source.bitwarden.master-password-env", "mode = sealed, master", "sealed mode never takes the master password");
        assertProblem(e, text, "vaultkeep.accounts[2].source.bitwarden.master-password-env", "b3@example", "decrypt mode needs");
        assertProblem(e, text, "vaultkeep.accounts[3].source.bitwarden.client-secret-env", "NOT_SET_SECRET", "is not set");
        assertProblem(e, text, "vaultkeep.accounts[3].source.bitwarden.mode", "NOT_SET_SECRET", "must be decrypt or sealed");
        assertEquals(5, e.problems().size(), e.getMessage());
    }

    @Test
    void webDavLocationsLoadWithTheirUserPasswordAndCaFile() throws Exception {
        Files.writeString(confDir.resolve("dav-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        HostConfig config = load(account("""
                { id = "alice", source { push {} }
                  location { webdav { url = "https://dav.example.org/backups/alice", user = "alice"
                                      password-env = "ALICE_BACKUP_PW", ca-file = "dav-ca.pem" } } }
                { id = "bob", source { push {} }, location { webdav { url = "http://127.0.0.1:8080/dav/bob" } } }"""));
        LocationConfig.WebDav alice = (LocationConfig.WebDav) config.accounts().get(0).location();
        assertEquals(java.net.URI.create("https://dav.example.org/backups/alice"), alice.url());
        assertEquals(Optional.of("alice"), alice.user());
        assertArrayEquals("backup secret 2".toCharArray(), alice.password().orElseThrow().copy());
        assertEquals(Optional.of(confDir.resolve("dav-ca.pem")), alice.caFile());
        assertFalse(alice.toString().contains("backup secret 2"), alice.toString());
        LocationConfig.WebDav bob = (LocationConfig.WebDav) config.accounts().get(1).location();
        assertEquals(Optional.empty(), bob.user());
        assertEquals(Optional.empty(), bob.password());
    }

    @Test
    void webDavLocationMistakesAreNamed() throws Exception {
        String text = account("""
                { id = "a1", source { push {} }, location { webdav { url = "https://dav.example/a1?x=1" } } }
                { id = "a2", source { push {} }, location { webdav { url = "http://dav.example/a2", ca-file = "missing.pem" } } }
                { id = "a3", source { push {} }, location { webdav { url = "https://dav.example/a3", password-env = "ALICE_BACKUP_PW" } } }
                { id = "a4", source { push {} }, location { webdav { user = "a4" } } }
                { id = "a5", source { push {} }, location { webdav { url = "https://dav.example/a5", ca-file = "ca.pem" } } }""");
        Files.writeString(confDir.resolve("ca.pem"), "x");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].location.webdav.url", "a1", "no query");
        assertProblem(e, text, "vaultkeep.accounts[1].location.webdav.ca-file", "a2", "is not a readable file");
        assertProblem(e, text, "vaultkeep.accounts[2].location.webdav.password-env", "a3", "needs a user");
        assertProblem(e, text, "vaultkeep.accounts[3].location.webdav.url", "a4", "missing");
        assertEquals(4, e.problems().size(), e.getMessage());
        String http = account("""
                { id = "a6", source { push {} }, location { webdav { url = "http://dav.example/a6", ca-file = "ca.pem" } } }""");
        assertProblem(fails(http), http, "vaultkeep.accounts[0].location.webdav.ca-file", "a6", "applies to https:// URLs only");
    }

    @Test
    void twoAccountsCannotShareOrNestAWebDavCollection() throws Exception {
        String text = account("""
                { id = "alice", source { push {} }, location { webdav { url = "https://DAV.example:443/backups/alice" } } }
                { id = "bob", source { push {} }, location { webdav { url = "https://dav.example/backups/alice/" } } }
                { id = "carol", source { push {} }, location { webdav { url = "https://dav.example/backups" } } }
                { id = "dave", source { push {} }, location { webdav { url = "http://dav.example/backups-dave" } } }
                { id = "erin", source { push {} }, location { webdav { url = "https://dav.example/backups2/erin" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[1].location", "\"bob\"", "as account 'alice'");
        List<Problem> carol = e.problems().stream().filter(p -> p.path().equals("vaultkeep.accounts[2].location")).toList();
        assertEquals(2, carol.size(), e.getMessage());
        assertTrue(carol.get(0).message().contains("are nested"), carol.get(0).message());
        assertEquals(3, e.problems().size(), e.getMessage()); // dave (other scheme) and erin (a sibling whose name starts alike) are fine
    }

    @Test
    void environmentVariablesMustBeSetAndNonEmptyAndOnlyTheirNamesAreReported() throws Exception {
        String text = account("""
                { id = "alice", password-env = "NOT_SET_PW"
                  source { export-folder { path = "./inbox/alice", export-password-env = "EMPTY_PW" } }
                  location { folder { path = "./backups/a" } } }
                { id = "bob", password-env = "correct horse battery"
                  source { push {} }
                  location { folder { path = "./backups/b" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].password-env", "NOT_SET_PW", "environment variable NOT_SET_PW is not set");
        assertProblem(e, text, "vaultkeep.accounts[0].source.export-folder.export-password-env", "EMPTY_PW",
                "environment variable EMPTY_PW is empty");
        assertProblem(e, text, "vaultkeep.accounts[1].password-env", "horse", "is not an environment variable name");
        // a password written where its variable's name belongs is never repeated back
        assertFalse(e.getMessage().contains("horse"), e.getMessage());
    }

    @Test
    void theEnvironmentGivenIsTheOneConsulted() throws Exception {
        Path file = write(account("""
                { id = "alice", password-env = "ONLY_IN_TEST_ENV"
                  source { push {} }
                  location { folder { path = "./backups/a" } } }"""));
        assertThrows(ConfigException.class, () -> HostConfigLoader.load(file, name -> null));
        HostConfig config = HostConfigLoader.load(file, name -> name.equals("ONLY_IN_TEST_ENV") ? "from the test" : null);
        assertArrayEquals("from the test".toCharArray(), config.accounts().get(0).backupPassword().orElseThrow().copy());
    }

    @Test
    void exportFoldersMustExistAsReadableFolders() throws Exception {
        Files.writeString(confDir.resolve("inbox/file.json"), "{}");
        String text = account("""
                { id = "alice", source { export-folder { path = "./inbox/nobody" } }, location { folder { path = "./b/1" } } }
                { id = "bob", source { export-folder { path = "./inbox/file.json" } }, location { folder { path = "./b/2" } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].source.export-folder.path", "nobody",
                "export folder " + confDir.resolve("inbox/nobody") + " does not exist");
        assertProblem(e, text, "vaultkeep.accounts[1].source.export-folder.path", "file.json", "is not a folder");
    }

    @Test
    void anUnreadableExportFolderIsReported() throws Exception {
        String body = """
                { id = "alice", source { export-folder { path = "./inbox/locked" } }, location { folder { path = "./b/1" } } }""";
        if (AsNobody.needed()) {
            try (AsNobody nobody = AsNobody.workspace()) {
                Path conf = nobody.folder("conf");
                Path locked = Files.createDirectories(conf.resolve("inbox/locked"));
                Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------")); // root's own
                nobody.folder("conf/b");
                Path file = conf.resolve("vaultkeep.conf");
                Files.writeString(file, account(body));
                AsNobody.Result result = nobody.runConfigCheck(file);
                assertEquals(1, result.exit(), result.output());
                assertTrue(result.output().contains("vaultkeep.accounts[0].source.export-folder.path: export folder "
                        + locked + " cannot be read"), result.output());
            }
            return;
        }
        Path locked = Files.createDirectories(confDir.resolve("inbox/locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            String text = account(body);
            assertProblem(fails(text), text, "vaultkeep.accounts[0].source.export-folder.path", "locked", "cannot be read");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void repositoryAndDataFoldersMustBeCreatableOrWritable() throws Exception {
        Files.writeString(confDir.resolve("plain-file"), "x");
        Files.writeString(confDir.resolve("other-file"), "x");
        String text = """
                vaultkeep {
                  data-dir = "./plain-file/data"
                  accounts = [
                    { id = "alice", source { push {} }, location { folder { path = "./plain-file/repo/alice" } } }
                    { id = "bob", source { push {} }, location { folder { path = "./other-file" } } }
                  ]
                }
                """;
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.data-dir", "data-dir", "data folder " + confDir.resolve("plain-file/data")
                + " cannot be created: " + confDir.resolve("plain-file") + " is a file, not a folder");
        assertProblem(e, text, "vaultkeep.accounts[0].location.folder.path", "repo/alice", "repository folder "
                + confDir.resolve("plain-file/repo/alice") + " cannot be created");
        assertProblem(e, text, "vaultkeep.accounts[1].location.folder.path", "\"bob\"", "is a file, not a folder");
    }

    @Test
    void anUnwritableRepositoryFolderIsReported() throws Exception {
        String body = """
                { id = "alice", source { push {} }, location { folder { path = "./locked/alice" } } }""";
        if (AsNobody.needed()) {
            try (AsNobody nobody = AsNobody.workspace()) {
                Path conf = nobody.folder("conf");
                nobody.folder("conf/locked"); // 0755, root's: nobody may look but not write
                Path file = conf.resolve("vaultkeep.conf");
                Files.writeString(file, account(body).replace("accounts = [", "data-dir = \"/tmp\"\n  accounts = ["));
                AsNobody.Result result = nobody.runConfigCheck(file);
                assertEquals(1, result.exit(), result.output());
                assertTrue(result.output().contains("vaultkeep.accounts[0].location.folder.path: repository folder "
                        + conf.resolve("locked/alice") + " cannot be created: " + conf.resolve("locked") + " is not writable"),
                        result.output());
            }
            return;
        }
        Path locked = Files.createDirectories(confDir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            String text = account(body);
            assertProblem(fails(text), text, "vaultkeep.accounts[0].location.folder.path", "locked", "is not writable");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void eachAccountHasExactlyOneSupportedSourceAndLocation() throws Exception {
        String text = account("""
                { id = "a1", source { push {}, export-folder { path = "./inbox/alice" } }, location { folder { path = "./b/1" } } }
                { id = "a2", source { }, location { folder { path = "./b/2" } } }
                { id = "a3", source { bitwarden { server = "https://vault.example" } }, location { folder { path = "./b/3" } } }
                { id = "a4", source { push {} }, location { webdav { url = "ftp://dav.example/backups" } } }
                { id = "a5", source { push {} }, location { folder { path = "./b/5" }, sftp { } } }""");
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.accounts[0].source", "a1", "has export-folder and push: an account has exactly one source");
        assertProblem(e, text, "vaultkeep.accounts[1].source", "a2", "no source given: one of bitwarden, export-folder, push");
        assertProblem(e, text, "vaultkeep.accounts[2].source.bitwarden.email", "a3", "missing");
        assertProblem(e, text, "vaultkeep.accounts[3].location.webdav.url", "a4", "must start with https:// or http://");
        assertProblem(e, text, "vaultkeep.accounts[4].location.sftp", "a5", "unknown key");
        assertProblem(e, text, "vaultkeep.accounts[2].source.bitwarden.master-password-env", "a3", "missing");
        assertEquals(6, e.problems().size(), e.getMessage()); // a3's bitwarden block lacks its email and master password
    }

    @Test
    void theStatusEndpointMustBeLoopback() throws Exception {
        String text = "vaultkeep {\n  status {\n    host = \"0.0.0.0\"\n    port = 70000\n  }\n}\n";
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.status.host", "0.0.0.0", "loopback only");
        assertProblem(e, text, "vaultkeep.status.port", "70000", "must be between 1 and 65535");
        String named = "vaultkeep { status { host = \"backup.example.com\" } }\n";
        assertProblem(fails(named), named, "vaultkeep.status.host", "example", "give 127.0.0.1, ::1 or localhost");
        assertEquals(new StatusEndpoint("localhost", 8420), load("vaultkeep { status { host = localhost } }").status());
    }

    @Test
    void theLogSettingsLoadWithDefaultsAndAFileBesideTheConfig() throws Exception {
        assertEquals(HostConfig.LogSettings.DEFAULT, load("vaultkeep { }").log());
        Files.createDirectories(confDir.resolve("logs"));
        HostConfig.LogSettings log = load("""
                vaultkeep { log { level = debug, format = json, file = "logs/host.log", max-file-size = 5MiB, max-history = 30 } }
                """).log();
        assertEquals(new HostConfig.LogSettings(HostConfig.LogLevel.DEBUG, HostConfig.LogFormat.JSON,
                java.util.Optional.of(confDir.resolve("logs/host.log")), 5L << 20, 30), log);
        assertTrue(load("vaultkeep { status { metrics-without-token = true } }").status().metricsWithoutToken());
        assertFalse(load("vaultkeep { }").status().metricsWithoutToken());
    }

    /** The README's log block, as written, loads to what its comments say. */
    @Test
    void theReadmesLogExampleLoads() throws Exception {
        String example = readmeExample("### Logs");
        Files.createDirectories(confDir.resolve("logs"));
        HostConfig.LogSettings log = load(example).log();
        assertEquals(new HostConfig.LogSettings(HostConfig.LogLevel.INFO, HostConfig.LogFormat.TEXT,
                java.util.Optional.of(confDir.resolve("logs/vaultkeep.log")), 10L << 20, 7), log);
    }

    @Test
    void logMistakesAreReportedAtTheirLines() throws Exception {
        String text = """
                vaultkeep {
                  log {
                    level = loud
                    format = xml
                    file = "no-such-folder/host.log"
                    max-file-size = lots
                    max-history = 0
                  }
                }
                """;
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.log.level", "loud", "must be error, warn, info, debug or trace, not loud");
        assertProblem(e, text, "vaultkeep.log.format", "xml", "must be text or json, not xml");
        assertProblem(e, text, "vaultkeep.log.file", "no-such-folder", "is not a folder the host can write in");
        assertProblem(e, text, "vaultkeep.log.max-file-size", "lots", "expected a size such as 10MB or 512k");
        assertProblem(e, text, "vaultkeep.log.max-history", "max-history", "must be between 1 and 3650");
        String typo = "vaultkeep {\n  log {\n    levle = info\n  }\n}\n";
        assertProblem(fails(typo), typo, "vaultkeep.log.levle", "levle", "");
    }

    @Test
    void severalMistakesAreAllReportedInFileOrderOneLineEach() throws Exception {
        String text = """
                vaultkeep {
                  data-dir = "./data"
                  debounce { quiet = fast }
                  accounts = [
                    { id = "alice"
                      source { export-folder { path = "./inbox/alice" } }
                      location { folder { path = "./backups/alice" } }
                      password-env = "MISSING_PW"
                      retension = 30 }
                    { id = "alice"
                      source { export-folder { path = "./inbox/nobody" } }
                      location { webdav { url = "https://alice:hunter2@dav.example" } }
                      retention = 45 }
                  ]
                }
                """;
        ConfigException e = fails(text);
        List<String> lines = e.getMessage().lines().toList();
        // the duplicate id is found although that account is wrong in other ways too
        assertEquals(7, lines.size(), e.getMessage());
        assertEquals(e.problems().stream().map(Problem::toString).toList(), lines);
        List<Integer> order = e.problems().stream().map(Problem::line).toList();
        assertEquals(order.stream().sorted().toList(), order);
        assertEquals(List.of(lineOf(text, "fast"), lineOf(text, "MISSING_PW"), lineOf(text, "retension"),
                lineOf(text, "nobody") - 1, lineOf(text, "nobody"), lineOf(text, "dav.example"), lineOf(text, "45")),
                order);
        assertFalse(e.getMessage().contains("hunter2"), "a password in a URL is never repeated back");
        for (String line : lines) {
            assertTrue(line.matches(java.util.regex.Pattern.quote(confDir.resolve("vaultkeep.conf").toString()) + ":\\d+: vaultkeep\\.\\S+: .+"), line);
        }
    }

    @Test
    void aSyntaxErrorIsReportedWithItsLine() throws Exception {
        String text = "vaultkeep {\n  data-dir = \"./data\"\n  accounts = [ { id = \"alice\" \n}\n";
        ConfigException e = fails(text);
        assertEquals(1, e.problems().size(), e.getMessage());
        Problem p = e.problems().get(0);
        assertTrue(p.line() >= 3, e.getMessage());
        assertTrue(e.getMessage().startsWith(confDir.resolve("vaultkeep.conf") + ":" + p.line() + ": "), e.getMessage());
    }

    @Test
    void aMissingFileIsOneProblemWithoutALine() {
        Path nowhere = temp.resolve("nowhere.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> HostConfigLoader.load(nowhere, env::get));
        assertEquals(nowhere + ": no such config file", e.getMessage());
    }

    @Test
    void statusCommandsReadOnlyTheStatusBlockAndTheDataDir() throws Exception {
        Path file = write("""
                vaultkeep {
                  data-dir = "state/host"
                  status { port = 9123 }
                  accounts = [ { id = "alice", password-env = "NOT_SET_PW", source { push {} } } ]
                }
                """);
        assertEquals(new HostConfig.StatusAccess(new StatusEndpoint("127.0.0.1", 9123), confDir.resolve("state/host")),
                HostConfigLoader.loadStatusAccess(file));
        Path noStatus = confDir.resolve("other.conf");
        Files.writeString(noStatus, "vaultkeep { }");
        assertEquals(new HostConfig.StatusAccess(StatusEndpoint.DEFAULT, confDir.resolve("data")), HostConfigLoader.loadStatusAccess(noStatus));
        Files.writeString(noStatus, "vaultkeep {\n  status { port = \"x\" }\n}");
        ConfigException e = assertThrows(ConfigException.class, () -> HostConfigLoader.loadStatusAccess(noStatus));
        assertEquals(noStatus + ":2: vaultkeep.status.port: expected a whole number, got the string \"x\"", e.getMessage());
    }

    @Test
    void theClusterBlockTakesANodesThreePemFilesOrNoneAndInsecureTransportOnlyWhenSaid() throws Exception {
        assertEquals(HostConfig.ClusterSettings.DEFAULT, load(account("{ id = \"alice\", source { push {} }, location { folder { path = \"./b/1\" } } }")).cluster());
        for (String file : List.of("node.key", "node.crt", "ca.crt")) {
            Files.writeString(confDir.resolve(file), "pem");
        }
        String accounts = "accounts = [ { id = \"alice\", source { push {} }, location { folder { path = \"./b/1\" } } } ]";
        HostConfig given = load("vaultkeep {\n  cluster { key-file = \"node.key\", cert-file = \"node.crt\", trust-file = \"ca.crt\" }\n  "
                + accounts + "\n}\n");
        assertEquals(new HostConfig.ClusterSettings(java.util.Optional.of(new HostConfig.NodeKeys(confDir.resolve("node.key"),
                confDir.resolve("node.crt"), confDir.resolve("ca.crt"))), false), given.cluster());
        assertEquals(true, load("vaultkeep {\n  cluster { insecure-transport = true }\n  " + accounts + "\n}\n").cluster().insecureTransport());

        String text = "vaultkeep {\n  cluster {\n    key-file = \"node.key\"\n    cert-file = \"absent.crt\"\n  }\n  " + accounts + "\n}\n";
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.cluster.cert-file", "absent.crt", confDir.resolve("absent.crt") + " is not a readable file");
        assertTrue(e.getMessage().contains("vaultkeep.cluster.trust-file: missing"), e.getMessage());
    }

    @Test
    void aNodeOfAClusterLoadsItsAddressSeedNodesJournalAndResolver() throws Exception {
        for (String file : List.of("node.key", "node.crt", "ca.crt")) {
            Files.writeString(confDir.resolve(file), "pem");
        }
        env.put("JOURNAL_PW", "journal secret");
        HostConfig config = load("""
                vaultkeep {
                  cluster {
                    key-file = "node.key", cert-file = "node.crt", trust-file = "ca.crt"
                    hostname = "10.0.0.5"
                    port = 25520
                    seed-nodes = ["10.0.0.5:25520", "pekko://vaultkeep@10.0.0.6:25520"]
                    journal { url = "jdbc:postgresql://db:5432/vaultkeep", user = "vk", password-env = "JOURNAL_PW" }
                    split-brain-resolver { strategy = keep-oldest, stable-after = 15s }
                  }
                  accounts = [ { id = "alice", source { push {} }, location { folder { path = "./b/1" } } } ]
                }
                """);
        HostConfig.ClusterNode node = config.cluster().node().orElseThrow();
        assertEquals("10.0.0.5", node.hostname());
        assertEquals(25520, node.port());
        assertEquals(List.of("pekko://vaultkeep@10.0.0.5:25520", "pekko://vaultkeep@10.0.0.6:25520"), node.seedNodes());
        assertEquals("jdbc:postgresql://db:5432/vaultkeep", node.journal().url());
        assertEquals(Optional.of("vk"), node.journal().user());
        assertEquals("journal secret", new String(node.journal().password().orElseThrow().copy()));
        assertEquals(new HostConfig.Downing("keep-oldest", Duration.ofSeconds(15)), node.downing());
        assertFalse(config.toString().contains("journal secret"), "the journal's password never shows");

        HostConfig defaults = load("""
                vaultkeep {
                  cluster {
                    key-file = "node.key", cert-file = "node.crt", trust-file = "ca.crt"
                    port = 25520, seed-nodes = ["127.0.0.1:25520"], journal { url = "jdbc:postgresql://db/vk" }
                  }
                  accounts = [ { id = "alice", source { push {} }, location { folder { path = "./b/1" } } } ]
                }
                """);
        assertEquals("127.0.0.1", defaults.cluster().node().orElseThrow().hostname());
        assertEquals(HostConfig.Downing.DEFAULT, defaults.cluster().node().orElseThrow().downing());
        assertEquals("keep-majority", HostConfig.Downing.DEFAULT.strategy());
    }

    @Test
    void clusterMistakesAreReportedAtTheirLine() throws Exception {
        String text = """
                vaultkeep {
                  cluster {
                    seed-nodes = ["127.0.0.1:25520", "pekko://other@127.0.0.1:25521", "nohost"]
                    split-brain-resolver { strategy = keep-everything }
                  }
                  accounts = [ { id = "alice", source { push {} }, location { folder { path = "./b/1" } } } ]
                }
                """;
        ConfigException e = fails(text);
        String message = e.getMessage();
        int seedLine = lineOf(text, "seed-nodes");
        assertTrue(message.contains(":" + seedLine + ": vaultkeep.cluster.seed-nodes: 'pekko://other@127.0.0.1:25521' is a node of "
                + "the cluster named 'other'"), message);
        assertTrue(message.contains(":" + seedLine + ": vaultkeep.cluster.seed-nodes: 'nohost' is not host:port"), message);
        assertTrue(message.contains("vaultkeep.cluster.journal: missing: the PostgreSQL journal all nodes share"), message);
        assertTrue(message.contains("vaultkeep.cluster.port: missing"), message);
        assertTrue(message.contains("vaultkeep.cluster.key-file: missing: a node of a cluster needs key-file"), message);
        assertProblem(e, text, "vaultkeep.cluster.split-brain-resolver.strategy", "keep-everything",
                "must be keep-majority, keep-oldest, down-all, not keep-everything");

        String journal = """
                vaultkeep {
                  cluster {
                    insecure-transport = true, port = 25520, seed-nodes = ["127.0.0.1:25520"]
                    journal { url = "jdbc:postgresql://db/vk?password=hunter2" }
                  }
                  accounts = [ { id = "alice", source { push {} }, location { folder { path = "./b/1" } } } ]
                }
                """;
        ConfigException j = fails(journal);
        assertProblem(j, journal, "vaultkeep.cluster.journal.url", "jdbc:postgresql", "holds a password");
        assertFalse(j.getMessage().contains("hunter2"), "the password is not echoed");

        String alone = """
                vaultkeep {
                  cluster { port = 25520 }
                  accounts = [ { id = "alice", source { push {} }, location { folder { path = "./b/1" } } } ]
                }
                """;
        assertProblem(fails(alone), alone, "vaultkeep.cluster.port", "port = 25520", "give seed-nodes too");
    }

    @Test
    void theClusterExampleNodesLoad() throws Exception {
        Path cluster = repositoryRoot().resolve("examples/cluster");
        Path run = temp.resolve("example-cluster");
        // what scripts/cluster-demo makes in run/: a copy of the folder with it in place
        Files.createDirectories(run);
        for (String file : List.of("node-a.conf", "node-b.conf", "node-c.conf", "accounts.conf")) {
            Files.copy(cluster.resolve(file), run.resolve(file));
        }
        Files.createDirectories(run.resolve("run/keys"));
        for (String file : List.of("node-a.key", "node-a.crt", "node-b.key", "node-b.crt", "node-c.key", "node-c.crt", "ca.crt")) {
            Files.writeString(run.resolve("run/keys").resolve(file), "pem");
        }
        Files.writeString(run.resolve("run/journal.conf"), "url = \"jdbc:postgresql://127.0.0.1:5432/vaultkeep?user=vaultkeep\"\n");
        for (String id : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
            Files.createDirectories(run.resolve("run/inbox").resolve(id));
            Files.createDirectories(run.resolve("run/backups").resolve(id));
        }
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (String node : List.of("node-a", "node-b", "node-c")) {
            HostConfig config = HostConfigLoader.load(run.resolve(node + ".conf"), name -> null);
            assertEquals(6, config.accounts().size());
            HostConfig.ClusterNode n = config.cluster().node().orElseThrow();
            ports.add(n.port());
            assertEquals(3, n.seedNodes().size());
            assertEquals(run.resolve("run/data").resolve(node), config.dataDir());
        }
        assertEquals(3, ports.size(), "each node its own cluster port");
    }

    @Test
    void theQuickstartExampleLoads() throws Exception {
        Path root = repositoryRoot();
        HostConfig config = HostConfigLoader.load(root.resolve("examples/quickstart.conf"), name -> null);
        assertEquals(root.resolve("data"), config.dataDir());
        assertEquals(1, config.accounts().size());
        AccountConfig alice = config.accounts().get(0);
        assertEquals("alice", alice.id());
        SourceConfig.ExportFolder source = assertInstanceOf(SourceConfig.ExportFolder.class, alice.source());
        assertEquals(root.resolve("examples/inbox/alice"), source.folder());
        assertTrue(Files.isRegularFile(source.folder().resolve("bitwarden_export.json")));
        assertTrue(Files.isDirectory(source.attachmentsFolder()));
        assertEquals(new LocationConfig.Folder(root.resolve("backups/alice")), alice.location());
        assertEquals(Optional.empty(), alice.backupPassword());
        assertEquals(new Retention.Keep(30), alice.retention());
        assertTrue(alice.includeAttachments());
        assertEquals(StatusEndpoint.DEFAULT, config.status());
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/quickstart.conf"))) {
                return dir;
            }
        }
        throw new IllegalStateException("examples/quickstart.conf not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void notificationsAreReadForTheHostAndPerAccount() throws Exception {
        env.put("SMTP_PW", "smtp secret 3");
        HostConfig config = load("""
                vaultkeep {
                  notify {
                    events = [run-failed, recovered]
                    attempts = 4
                    backoff = 1s
                    webhook { url = "https://hooks.example.org/vaultkeep", events = [success] }
                    ping { url = "https://hc-ping.com/5f2c" }
                    smtp { host = "smtp.example.org", user = "ops", password-env = "SMTP_PW",
                           from = "vaultkeep@example.org", to = ["ops@example.org"] }
                    command { run = ["/usr/local/bin/tell-ops", "--quiet"], timeout = 5s }
                  }
                  accounts = [
                """ + ALICE.replace("location {", "notify { webhook { url = \"http://127.0.0.1:9000/alice\" } }\n      location {")
                + "\n  ]\n}\n");
        io.vaultkeep.engine.config.NotifySettings notify = config.notifications();
        assertEquals(4, notify.attempts());
        assertEquals(java.time.Duration.ofSeconds(1), notify.backoff());
        assertEquals(4, notify.hostTargets().size());
        var webhook = (io.vaultkeep.engine.config.NotifyTarget.Webhook) notify.hostTargets().get(0);
        assertEquals(java.util.Set.of(io.vaultkeep.engine.config.NotifyEvent.SUCCESS), webhook.events());
        var ping = (io.vaultkeep.engine.config.NotifyTarget.Ping) notify.hostTargets().get(1);
        assertTrue(ping.takes(io.vaultkeep.engine.config.NotifyEvent.RUN_FAILED)
                && !ping.takes(io.vaultkeep.engine.config.NotifyEvent.SUCCESS), "the block's events apply to the ping");
        var smtp = (io.vaultkeep.engine.config.NotifyTarget.Smtp) notify.hostTargets().get(2);
        assertEquals(587, smtp.port());
        assertEquals(io.vaultkeep.engine.config.NotifyTarget.SmtpSecurity.STARTTLS, smtp.security());
        assertEquals("environment variable SMTP_PW", smtp.password().get().origin());
        assertEquals(1, notify.accountTargets().get("alice").size());
        assertEquals(io.vaultkeep.engine.config.NotifyEvent.DEFAULT, notify.accountTargets().get("alice").get(0).events());
    }

    @Test
    void notificationMistakesAreReportedWithTheirLines() throws Exception {
        String text = """
                vaultkeep {
                  notify {
                    events = [run-failed, sucess]
                    webhook { url = "http://hooks.example.org/x" }
                    smtp { host = "smtp.example.org", security = none, user = "ops", password-env = "UNSET_PW",
                           from = "not an address", to = [] }
                    command { run = [], timeot = 5s }
                  }
                  accounts = [
                """ + ALICE + "\n  ]\n}\n";
        ConfigException e = fails(text);
        assertProblem(e, text, "vaultkeep.notify.events", "sucess", "the string \"sucess\" is not an event");
        assertProblem(e, text, "vaultkeep.notify.webhook.url", "hooks.example.org", "https://");
        Problem security = e.problems().stream().filter(p -> p.path().equals("vaultkeep.notify.smtp.security")).findFirst().orElseThrow();
        assertTrue(security.message().contains("only to a relay on this machine"), security.message());
        assertProblem(e, text, "vaultkeep.notify.smtp.from", "not an address", "is not a mail address");
        assertProblem(e, text, "vaultkeep.notify.smtp.to", "to = []", "give at least one recipient");
        assertProblem(e, text, "vaultkeep.notify.command.timeot", "timeot", "did you mean 'timeout'?");
        assertProblem(e, text, "vaultkeep.notify.command.run", "run = []", "is empty");
        assertTrue(e.problems().stream().anyMatch(p -> p.path().equals("vaultkeep.notify.smtp.password-env")
                && p.message().contains("UNSET_PW is not set")), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.path().equals("vaultkeep.notify.smtp.user")
                && p.message().contains("never sent unencrypted")), e.getMessage());
    }
}
