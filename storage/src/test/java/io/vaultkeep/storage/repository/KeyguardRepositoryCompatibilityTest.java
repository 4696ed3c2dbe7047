package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.RepoDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository as Keyguard writes it: fields equal to their defaults left out (an encrypted
 * repo.json with only repoId and createdAt), nanosecond timestamps, snapshot names in local time,
 * a short blob id, and an old index generation that still lists a snapshot since deleted.
 */
class KeyguardRepositoryCompatibilityTest {

    private static final String PASSWORD = "keyguard-pass";
    private static final String K_SNAPSHOT = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    private static final String K_BLOB = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String K_OLD = "ERERERERERERERERERERERERERERERERERERERERERE=";

    @TempDir
    Path temp;

    private static void put(ObjectStore store, String key, char[] password, String entry, byte[] content) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        CODEC.write(zip, List.of(EntrySource.ofBytes(entry, content)), password);
        store.create(key, ObjectContent.ofBytes(zip.toByteArray()));
    }

    private static void putSnapshot(ObjectStore store, String key, String manifest, byte[] vault) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        CODEC.write(zip, List.of(EntrySource.ofBytes("manifest.json", manifest.getBytes(StandardCharsets.UTF_8)),
                EntrySource.ofBytes("vault.json", vault)), K_SNAPSHOT.toCharArray());
        store.create(key, ObjectContent.ofBytes(zip.toByteArray()));
    }

    @Test
    void opensAndRestoresARepositoryKeyguardWrote() throws Exception {
        ObjectStore store = FolderStore.open(temp.resolve("kg"));
        char[] pw = PASSWORD.toCharArray();
        put(store, "repo.zip", pw, "repo.json",
                "{\"repoId\":\"8a1c6d1e-1111-4c2b-9c51-0a2c3f5e7a90\",\"createdAt\":\"2026-05-28T10:42:11.123456789Z\"}".getBytes());

        String oldId = "20260527120000-0b0e1c7d-2222-4e6b-8f00-123456789abc";
        put(store, "indexes/00000000000000000001-idx-one.zip", pw, "index.json", ("""
                {"indexId":"idx-one","generation":1,"updatedAt":"2026-05-27T10:00:00.1Z",
                 "snapshots":{"%s":{"path":"snapshots/%s.zip","createdAt":"2026-05-27T10:00:00.1Z","vaultSize":3,
                   "encryption":{"method":"zip_aes_256","keyBase64":"%s"},
                   "stats":{"cipherCount":0,"attachmentCount":0,"newBlobCount":0,"reusedBlobCount":0}}}}
                """).formatted(oldId, oldId, K_OLD).getBytes());

        byte[] vault = "{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"c-1\",\"type\":2,\"name\":\"Note\",\"secureNote\":{\"type\":0},\"attachments\":[{\"id\":\"att-1\",\"size\":\"5\",\"fileName\":\"hi.txt\"}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        // the name carries local time (UTC+2), the createdAt is UTC: readers never parse names for time
        String snapshotId = "20260528144211-6f1d2c3b-3333-4a5b-9c8d-7e6f5a4b3c2d";
        String fingerprint = AttachmentFingerprint.of("account-1", "c-1", "c-1", "att-1", 5L);
        put(store, "indexes/00000000000000000002-idx-two.zip", pw, "index.json", ("""
                {"indexId":"idx-two","generation":2,"parentIndexIds":["idx-one"],"updatedAt":"2026-05-28T12:42:11.987654321Z",
                 "snapshots":{"%s":{"path":"snapshots/%s.zip","createdAt":"2026-05-28T12:42:11.987654321Z","vaultSize":%d,
                   "blobIds":["b7"],"encryption":{"method":"zip_aes_256","keyBase64":"%s"},
                   "stats":{"cipherCount":1,"attachmentCount":1,"newBlobCount":1,"reusedBlobCount":0}}},
                 "attachments":{"%s":{"blobId":"b7","plainSize":5,"createdAt":"2026-05-28T12:42:11Z","lastSeenAt":"2026-05-28T12:42:11Z"}},
                 "blobs":{"b7":{"path":"blobs/b7/00/b7.zip","plainSize":5,"encryptedSize":null,
                   "createdAt":"2026-05-28T12:42:11Z","lastSeenAt":"2026-05-28T12:42:11Z",
                   "encryption":{"method":"zip_aes_256","keyBase64":"%s"}}}}
                """).formatted(snapshotId, snapshotId, vault.length, K_SNAPSHOT, fingerprint, K_BLOB).getBytes());
        putSnapshot(store, "snapshots/" + snapshotId + ".zip", ("""
                {"snapshotId":"%s","createdAt":"2026-05-28T12:42:11.987654321Z","options":{"includeAttachments":true},
                 "vault":{"size":%d},"attachments":[{"accountId":"account-1","localCipherId":"c-1","remoteCipherId":"c-1",
                 "attachmentId":"att-1","fileName":"hi.txt","plainSize":5,"fingerprint":"%s","blobId":"b7",
                 "blobPath":"blobs/b7/00/b7.zip","exportPath":"attachments/att-1/hi.txt"}],
                 "stats":{"cipherCount":1,"attachmentCount":1,"newBlobCount":1,"reusedBlobCount":0}}
                """).formatted(snapshotId, vault.length, fingerprint), vault);
        put(store, "blobs/b7/00/b7.zip", K_BLOB.toCharArray(), "attachment.bin", "hello".getBytes());
        // a location test probe and a write in flight: both must be ignored
        store.create("health-check/1700000000000-abc.probe", ObjectContent.ofBytes(new byte[8]));

        try (BackupRepository repo = BackupRepository.open(store, CODEC, pw, Clock.systemUTC())) {
            RepoDocument meta = repo.metadata();
            assertEquals(1, meta.formatVersion());
            assertEquals("keyguard", meta.app());
            assertEquals(RepoDocument.features(true), meta.features());
            assertEquals(Instant.parse("2026-05-28T10:42:11.123456789Z"), meta.createdAt());

            IndexState state = repo.readIndex();
            assertEquals(2, state.generation());
            IndexDocument catalogue = state.catalogue();
            assertEquals(List.of(snapshotId), List.copyOf(catalogue.snapshots().keySet()), "generation 1 is history");
            SnapshotEntry entry = catalogue.snapshots().get(snapshotId);
            assertEquals(0, entry.stats().skippedAttachmentCount(), "absent: its default");

            Path out = temp.resolve("out");
            SnapshotRestore.toDirectory(repo.objects(), catalogue, SnapshotRestore.find(catalogue, "latest").getKey(), out);
            assertArrayEquals(vault, Files.readAllBytes(out.resolve("vault.json")));
            assertEquals("hello", Files.readString(out.resolve("attachments/att-1/hi.txt")));

            CheckReport report = RepositoryCheck.run(repo, true);
            assertTrue(report.ok(), report.problems().toString());

            // and our next run continues Keyguard's repository, reusing its blob by fingerprint
            BackupRun.Committed next = repo.backup(new FetchedVault(vault, 1, true, List.of(new FetchedVault.AttachmentSource(
                    "account-1", "c-1", "c-1", "att-1", "hi.txt", 5L, () -> new java.io.ByteArrayInputStream("hello".getBytes()))), 0));
            assertEquals(3, next.generation());
            assertEquals(1, next.stats().reusedBlobCount());
            assertEquals(List.of("idx-two"), repo.objects().readIndex(next.indexKey()).parentIndexIds());
        }
    }
}
