package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.bench.BenchVaults;
import io.vaultkeep.engine.source.ExportFileVault;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Export folders ({@code inbox/<id>} under a work folder) whose vaults keep changing as people's
 * do, and the check that a repository holds them right: clean with all data read, the newest
 * snapshot the newest vault.
 */
final class ChangingVaults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final String prefix;
    private final int accounts;
    private final Map<Integer, Integer> versions = new ConcurrentHashMap<>();

    ChangingVaults(Path work, String prefix, int accounts) {
        this.work = work;
        this.prefix = prefix;
        this.accounts = accounts;
    }

    String id(int a) {
        return prefix + a;
    }

    Path inbox(int a) {
        return work.resolve("inbox").resolve(id(a));
    }

    /** Writes every account's first vault. */
    void writeFirst() throws IOException {
        for (int a = 0; a < accounts; a++) {
            write(a, 0);
        }
    }

    /** Keeps changing random accounts' vaults until {@code mutating} turns false. */
    Thread startMutating(AtomicBoolean mutating, Random random) {
        Thread mutator = new Thread(() -> {
            while (mutating.get()) {
                int a = random.nextInt(accounts);
                try {
                    write(a, versions.merge(a, 1, Integer::sum));
                    Thread.sleep(60 + random.nextInt(120));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "vault-mutator");
        mutator.start();
        return mutator;
    }

    /**
     * Version {@code v} of account {@code a}'s vault: 40 items with stable ids, the first renamed per
     * version; a 256 KiB attachment that never changes, and a small one that changes every third version.
     * Files appear by rename, as a finished `bw export` does.
     */
    void write(int a, int v) throws IOException {
        Path inbox = Files.createDirectories(inbox(a));
        ObjectNode export = (ObjectNode) JSON.readTree(BenchVaults.exportJson(40, 1000L + a));
        ObjectNode first = (ObjectNode) export.get("items").get(0);
        first.put("name", id(a) + " version " + v);
        String firstId = first.get("id").asText();
        String secondId = export.get("items").get(1).get("id").asText();
        Path constant = inbox.resolve("attachments").resolve(firstId).resolve("scan.bin");
        if (!Files.exists(constant)) {
            byte[] bytes = new byte[256 * 1024];
            new Random(a).nextBytes(bytes);
            atomicWrite(constant, bytes);
        }
        Path changing = Files.createDirectories(inbox.resolve("attachments").resolve(secondId));
        if (v % 3 == 0) {
            try (var old = Files.list(changing)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            atomicWrite(changing.resolve("note-" + v + ".txt"), ("note of version " + v).getBytes());
        }
        atomicWrite(inbox.resolve("bitwarden_export.json"), JSON.writeValueAsBytes(export));
    }

    /**
     * A small version {@code v} of account {@code a}'s vault, for benchmarks of many accounts: 10 items,
     * the first renamed per version, no attachments; appears by rename.
     */
    void writeSmall(int a, int v) throws IOException {
        Files.createDirectories(inbox(a));
        ObjectNode export = (ObjectNode) JSON.readTree(BenchVaults.exportJson(10, 1000L + a));
        ((ObjectNode) export.get("items").get(0)).put("name", id(a) + " version " + v);
        atomicWrite(inbox(a).resolve("bitwarden_export.json"), JSON.writeValueAsBytes(export));
    }

    private void atomicWrite(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = work.resolve("staging-" + System.nanoTime() + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Checks account {@code a}'s repository: clean with all data read, every snapshot in {@code seen}
     * still there unless retention ({@code retention} snapshots) dropped it, and the newest snapshot
     * the newest vault.
     *
     * @param distinct also: no two kept snapshots hold the same vault (a run done twice would)
     */
    void verify(int a, ObjectStore location, char[] password, Set<String> seen, int retention, boolean distinct) throws Exception {
        try (BackupRepository repo = BackupRepository.open(location, new Zip4jCodec(), password, Clock.systemUTC())) {
            List<Map.Entry<String, SnapshotEntry>> byTime = KeptSnapshots.checkedOldestFirst(repo, id(a), seen, retention);
            List<JsonNode> vaults = new ArrayList<>();
            for (Map.Entry<String, SnapshotEntry> e : byTime) {
                vaults.add(JSON.readTree(repo.objects().readSnapshot(e.getValue()).vaultJson()));
            }
            Path inbox = inbox(a);
            byte[] expected = ExportFileVault.fromJson(Files.readAllBytes(inbox.resolve("bitwarden_export.json")),
                    inbox.resolve("bitwarden_export.json"), inbox.resolve("attachments"), id(a), true).vaultJson();
            assertEquals(JSON.readTree(expected), vaults.get(vaults.size() - 1), id(a) + ": the newest snapshot is the newest vault");
            if (distinct) {
                for (int i = 1; i < vaults.size(); i++) {
                    assertNotEquals(vaults.get(i - 1), vaults.get(i), id(a) + ": snapshots " + byTime.get(i - 1).getKey()
                            + " and " + byTime.get(i).getKey() + " hold the same vault: a run was done twice");
                }
            }
        }
    }
}
