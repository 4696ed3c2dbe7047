package io.vaultkeep.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigChangesTest {

    @TempDir
    Path folder;

    private HostConfig load(String accounts, String extra, Map<String, String> environment) throws Exception {
        Path file = folder.resolve("vaultkeep.conf");
        Files.writeString(file, "vaultkeep {\n  data-dir = \"data\"\n" + extra + "\n  accounts = [\n" + accounts + "\n  ]\n}\n");
        return HostConfigLoader.load(file, environment::get);
    }

    private static String account(String id, String more) {
        return "{ id = \"" + id + "\", source { push {} }, location { folder { path = \"backups/" + id + "\" } }" + (more.isEmpty() ? "" : ", " + more) + " }";
    }

    @Test
    void accountsAreAddedRemovedChangedOrLeftAlone() throws Exception {
        HostConfig running = load(account("alice", "") + "\n" + account("bob", "") + "\n" + account("dave", "retention = 10"), "", Map.of());
        HostConfig next = load(account("carol", "") + "\n" + account("alice", "") + "\n" + account("dave", "retention = 60"), "", Map.of());

        ConfigChanges changes = ConfigChanges.between(running, next);

        assertEquals(List.of("carol"), changes.added());
        assertEquals(List.of("bob"), changes.removed());
        assertEquals(List.of("dave"), changes.changed());
        assertEquals(List.of("alice"), changes.unchanged());
        assertEquals(List.of(), changes.needRestart());
    }

    @Test
    void secretsCompareByValueNotByIdentity() throws Exception {
        String accounts = account("alice", "password-env = \"ALICE_PW\"");
        HostConfig running = load(accounts, "", Map.of("ALICE_PW", "one"));

        assertEquals(List.of("alice"), ConfigChanges.between(running, load(accounts, "", Map.of("ALICE_PW", "one"))).unchanged(),
                "the same password read again is no change");
        assertEquals(List.of("alice"), ConfigChanges.between(running, load(accounts, "", Map.of("ALICE_PW", "two"))).changed(),
                "a rotated password restarts the account");
        assertEquals(List.of("alice"), ConfigChanges.between(running, load(account("alice", ""), "", Map.of())).changed(),
                "dropping the password is a change");
    }

    @Test
    void hostWideSettingsAreNamedAsNeedingARestart() throws Exception {
        HostConfig running = load(account("alice", ""), "", Map.of());
        HostConfig next = load(account("alice", ""), "limits { max-concurrent-runs = 2 }\n debounce { quiet = 1s }", Map.of());

        ConfigChanges changes = ConfigChanges.between(running, next);

        assertEquals(List.of("limits", "debounce"), changes.needRestart());
        assertEquals(List.of("alice"), changes.unchanged());
        assertTrue(ConfigChanges.between(running, running).none());
    }

    @Test
    void sameValueIgnoresWhereASecretCameFrom() {
        Secret a = Secret.of("environment variable A", "pw".toCharArray());
        assertTrue(a.sameValue(Secret.of("file /run/credentials/x", "pw".toCharArray())));
        assertTrue(!a.sameValue(Secret.of("environment variable A", "pw2".toCharArray())));
        assertTrue(!a.sameValue(Secret.of("environment variable A", "p".toCharArray())));
    }

    @Test
    void notificationsNeedARestartOnlyWhenTheyChange() throws Exception {
        String notify = "notify { smtp { host = \"smtp.example.org\", user = \"ops\", password-env = \"SMTP_PW\", "
                + "from = \"v@example.org\", to = [\"ops@example.org\"] } }";
        String accounts = account("alice", "notify { webhook { url = \"https://hooks.example.org/a\" } }");
        HostConfig running = load(accounts, notify, Map.of("SMTP_PW", "one"));

        assertEquals(List.of(), ConfigChanges.between(running, load(accounts, notify, Map.of("SMTP_PW", "one"))).needRestart(),
                "the same targets and password read again are no change");
        assertEquals(List.of("notify"), ConfigChanges.between(running, load(accounts, notify, Map.of("SMTP_PW", "two"))).needRestart());
        assertEquals(List.of("notify"), ConfigChanges.between(running,
                load(account("alice", ""), notify, Map.of("SMTP_PW", "one"))).needRestart(), "an account's targets count too");
    }
}
