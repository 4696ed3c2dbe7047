package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.config.SourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/systemd: systemd itself accepts the unit without a warning, the unit keeps the hardening and
 * exit status it documents, and the config beside it loads, its secrets coming from the credentials
 * the unit loads.
 */
class SystemdUnitIT {

    private static final Path EXAMPLE = Launcher.REPO_ROOT.resolve("examples/systemd");
    private static final String CREDENTIALS = "/run/credentials/vaultkeep.service/";

    @TempDir
    Path temp;

    private static List<String> settings(String unit, String key) {
        return unit.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).toList();
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        ToolProcess.require("systemd-analyze", "systemd");
        Launcher.Result verify = ToolProcess.run(EXAMPLE, Map.of(), List.of("systemd-analyze", "verify", "./vaultkeep.service"));
        assertEquals(0, verify.exit(), verify.err());
        assertEquals("", verify.err().strip(), "systemd-analyze ignores keys and values it cannot parse, with a warning");
    }

    @Test
    void theUnitIsHardenedAndTreatsSigtermAsAStop() throws Exception {
        String unit = Files.readString(EXAMPLE.resolve("vaultkeep.service"));
        assertEquals(List.of("143"), settings(unit, "SuccessExitStatus"));
        assertEquals(List.of("/bin/kill -HUP $MAINPID"), settings(unit, "ExecReload"), "systemctl reload re-reads the config");
        for (String[] setting : new String[][] {{"ProtectSystem", "strict"}, {"NoNewPrivileges", "true"}, {"PrivateTmp", "true"},
                {"ProtectHome", "true"}, {"UMask", "0077"}}) {
            assertEquals(List.of(setting[1]), settings(unit, setting[0]), setting[0]);
        }
        String conf = Files.readString(EXAMPLE.resolve("vaultkeep.conf"));
        Set<String> writable = settings(unit, "ReadWritePaths").stream().flatMap(v -> Arrays.stream(v.split(" "))).collect(Collectors.toSet());
        // the data-dir is a folder the host makes private to itself inside the state directory
        assertTrue(writable.contains("/var/lib/vaultkeep") && conf.contains("data-dir = \"/var/lib/vaultkeep/data\""), writable.toString());
        assertTrue(writable.contains("/srv/vaultkeep/backups") && conf.contains("path = \"/srv/vaultkeep/backups/alice\""), writable.toString());

        // every credential the config reads is one the unit loads
        Set<String> loaded = settings(unit, "LoadCredential").stream().map(v -> v.substring(0, v.indexOf(':'))).collect(Collectors.toSet());
        Matcher named = Pattern.compile(Pattern.quote(CREDENTIALS) + "([A-Za-z0-9_.-]+)").matcher(conf);
        Set<String> read = new java.util.HashSet<>();
        while (named.find()) {
            read.add(named.group(1));
        }
        assertEquals(Set.of("alice-backup-pw", "alice-export-pw"), read);
        assertEquals(read, loaded);
    }

    @Test
    void theExampleConfigLoadsWithItsSecretsFromTheCredentialsDirectory() throws Exception {
        // the same file with its absolute folders moved under a scratch root, and credentials as systemd leaves them (0400)
        Path credentials = Files.createDirectories(temp.resolve("credentials"));
        for (String name : List.of("alice-backup-pw", "alice-export-pw")) {
            Files.writeString(credentials.resolve(name), name + " secret\n");
            Files.setPosixFilePermissions(credentials.resolve(name), PosixFilePermissions.fromString("r--------"));
        }
        Files.createDirectories(temp.resolve("srv/vaultkeep/inbox/alice"));
        Files.createDirectories(temp.resolve("var/lib"));
        Files.createDirectories(temp.resolve("srv/vaultkeep/backups"));
        String conf = Files.readString(EXAMPLE.resolve("vaultkeep.conf"))
                .replace(CREDENTIALS, credentials + "/")
                .replace("\"/var/", "\"" + temp + "/var/")
                .replace("\"/srv/", "\"" + temp + "/srv/");
        Path file = temp.resolve("vaultkeep.conf");
        Files.writeString(file, conf);
        HostConfig config = HostConfigLoader.load(file, name -> null);
        assertEquals(temp.resolve("var/lib/vaultkeep/data"), config.dataDir());
        var alice = config.accounts().get(0);
        assertEquals("alice-backup-pw secret", new String(alice.backupPassword().orElseThrow().copy()));
        assertEquals("alice-export-pw secret",
                new String(((SourceConfig.ExportFolder) alice.source()).exportPassword().orElseThrow().copy()));
    }
}
