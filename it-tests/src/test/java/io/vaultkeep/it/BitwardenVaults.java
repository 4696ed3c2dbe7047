package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import io.vaultkeep.testserver.bitwarden.VaultSeeder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Accounts on the Bitwarden test server whose vaults keep changing as people's do (items renamed,
 * now and then one added), backed up in decrypt mode (even index) or sealed mode (odd), and the check
 * that a repository holds them right: clean with all data read, and the newest snapshot what the
 * server holds now (every live item by id, with its name and revision date).
 */
final class BitwardenVaults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIRST_ITEMS = 6;
    /** Vaults grow up to this many items; later changes only rename. */
    private static final int MAX_ITEMS = 12;

    private final BitwardenTestServer server;
    private final String prefix;
    private final List<TestAccount> accounts = new ArrayList<>();
    private final Map<Integer, List<String>> itemIds = new HashMap<>();
    private final Map<Integer, Integer> versions = new HashMap<>();

    /** Creates {@code count} accounts on {@code server}, each with its first vault (items and an attachment). */
    BitwardenVaults(BitwardenTestServer server, String prefix, int count) {
        this.server = server;
        this.prefix = prefix;
        for (int b = 0; b < count; b++) {
            TestAccount account = server.createLightAccount(id(b) + "@example.org", ("master pw of " + id(b)).toCharArray(),
                    KdfParameters.pbkdf2(100_000));
            accounts.add(account);
            List<String> ids = new ArrayList<>(server.seed(account).items(FIRST_ITEMS, id(b) + " item"));
            server.seed(account).attachment(ids.get(0), "scan-" + b + ".bin", ("attachment bytes of " + id(b)).getBytes());
            itemIds.put(b, ids);
        }
    }

    int count() {
        return accounts.size();
    }

    String id(int b) {
        return prefix + b;
    }

    boolean sealed(int b) {
        return b % 2 == 1;
    }

    /** The source block of a host's config for account {@code b}; its secrets come from {@link #environment()}. */
    String sourceBlock(int b) {
        String variable = "BW_" + b;
        return "source { bitwarden { server = \"" + server.url() + "\", email = \"" + accounts.get(b).email() + "\", mode = "
                + (sealed(b) ? "sealed" : "decrypt") + ", ca-file = \"" + server.caFile() + "\",\n"
                + "        client-id-env = \"" + variable + "_ID\", client-secret-env = \"" + variable + "_SECRET\","
                + (sealed(b) ? "" : " master-password-env = \"" + variable + "_MP\",") + " poll-interval = 1s } }\n";
    }

    /** The API keys and (decrypt mode) master passwords, as every node's environment holds them. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        for (int b = 0; b < accounts.size(); b++) {
            TestAccount account = accounts.get(b);
            env.put("BW_" + b + "_ID", account.clientId());
            env.put("BW_" + b + "_SECRET", account.clientSecret());
            if (!sealed(b)) {
                env.put("BW_" + b + "_MP", new String(account.masterPassword()));
            }
        }
        return env;
    }

    /** Keeps changing random accounts' vaults on the server until {@code mutating} turns false. */
    Thread startMutating(AtomicBoolean mutating, Random random) {
        Thread mutator = new Thread(() -> {
            while (mutating.get()) {
                change(random.nextInt(accounts.size()), random);
                try {
                    Thread.sleep(200 + random.nextInt(400));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "bitwarden-vault-mutator");
        mutator.start();
        return mutator;
    }

    /** One client's edit: an item renamed, or (one time in five, up to {@link #MAX_ITEMS}) one added. */
    private void change(int b, Random random) {
        VaultSeeder seeder = server.seed(accounts.get(b));
        List<String> ids = itemIds.get(b);
        int version = versions.merge(b, 1, Integer::sum);
        if (ids.size() < MAX_ITEMS && random.nextInt(5) == 0) {
            ids.add(seeder.item(2, id(b) + " added in version " + version, ids.size()));
        } else {
            String item = ids.get(random.nextInt(ids.size()));
            seeder.rename(item, id(b) + " renamed in version " + version);
        }
    }

    /**
     * Checks account {@code b}'s repository: clean with all data read, every snapshot in {@code seen}
     * still there unless retention dropped it, no two kept snapshots the same vault (a run done twice
     * would make one), and the newest snapshot the vault the server holds now.
     */
    void verify(int b, ObjectStore location, char[] password, Set<String> seen, int retention) throws Exception {
        try (BackupRepository repo = BackupRepository.open(location, new Zip4jCodec(), password, Clock.systemUTC())) {
            List<Map.Entry<String, SnapshotEntry>> byTime = KeptSnapshots.checkedOldestFirst(repo, id(b), seen, retention);
            List<JsonNode> exports = new ArrayList<>();
            for (Map.Entry<String, SnapshotEntry> e : byTime) {
                byte[] vault = repo.objects().readSnapshot(e.getValue()).vaultJson();
                assertEquals(sealed(b), SealedVault.isSealed(vault), id(b) + ": snapshot " + e.getKey() + " in the account's mode");
                exports.add(JSON.readTree(sealed(b) ? SealedVault.parse(vault).open(accounts.get(b).masterPassword()).exportJson() : vault));
            }
            assertEquals(toMillis(server.seed(accounts.get(b)).held()), toMillis(heldIn(exports.get(exports.size() - 1))),
                    id(b) + ": the newest snapshot " + byTime.get(byTime.size() - 1).getKey() + " holds what the server holds");
            for (int i = 1; i < exports.size(); i++) {
                assertNotEquals(exports.get(i - 1), exports.get(i), id(b) + ": snapshots " + byTime.get(i - 1).getKey()
                        + " and " + byTime.get(i).getKey() + " hold the same vault: a run was done twice");
            }
        }
    }

    /** An export's items as the server's {@link VaultSeeder#held()} names them. */
    private static Map<String, VaultSeeder.Held> heldIn(JsonNode export) {
        Map<String, VaultSeeder.Held> held = new TreeMap<>();
        export.path("items").forEach(item -> held.put(item.path("id").asText(),
                new VaultSeeder.Held(item.path("name").asText(), item.path("revisionDate").asText())));
        return held;
    }

    /** The server's revision dates are in microseconds; an export's, as the CLI's, in milliseconds: compared at milliseconds. */
    private static Map<String, VaultSeeder.Held> toMillis(Map<String, VaultSeeder.Held> held) {
        Map<String, VaultSeeder.Held> out = new TreeMap<>();
        held.forEach((id, h) -> out.put(id, new VaultSeeder.Held(h.name(),
                Instant.parse(h.revisionDate()).truncatedTo(ChronoUnit.MILLIS).toString())));
        return out;
    }
}
