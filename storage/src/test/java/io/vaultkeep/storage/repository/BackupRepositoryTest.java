package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.lock.LockRule;
import io.vaultkeep.storage.lock.RepositoryLockedException;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRepositoryTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private ObjectStore store;

    @BeforeEach
    void openStore() throws IOException {
        store = FolderStore.open(temp.resolve("repo"));
    }

    private BackupRepository plain() throws IOException {
        return BackupRepository.create(store, CODEC, null, clock);
    }

    private BackupRepository encrypted(String password) throws IOException {
        return BackupRepository.create(store, CODEC, password.toCharArray(), clock);
    }

    private int blobObjects() throws IOException {
        return store.list(RepositoryPaths.BLOBS).size();
    }

    // ---- round trips

    @Test
    void aCommitWhoseIndexReadsBackAsAnotherIsRefused() throws Exception {
        try (BackupRepository repo = encrypted("pw")) {
            repo.backup(source(vaultJson(2, "first"), 2));
        }
        String first = store.list(RepositoryPaths.INDEXES).get(0).key();
        byte[] firstBytes;
        try (InputStream in = store.read(first)) {
            firstBytes = in.readAllBytes();
        }
        // a location that keeps another object than the one written: generation 1's index in place of generation 2's
        // (the same password opens it; only the document tells them apart)
        ObjectStore swapping = new DelegatingStore(store) {
            @Override
            public ObjectInfo create(String key, io.vaultkeep.storage.store.ObjectContent content) throws IOException {
                ObjectInfo created = super.create(key, content);
                if (key.startsWith(RepositoryPaths.INDEXES) && !key.equals(first)) {
                    return super.replace(key, io.vaultkeep.storage.store.ObjectContent.ofBytes(firstBytes));
                }
                return created;
            }
        };
        try (BackupRepository repo = BackupRepository.open(swapping, CODEC, "pw".toCharArray(), clock)) {
            RepositoryException refused = assertThrows(RepositoryException.class,
                    () -> repo.backup(source(vaultJson(2, "second"), 2)));
            assertTrue(refused.getMessage().contains("did not read back as written"), refused.getMessage());
        }
    }

    @Test
    void plainRoundTripRestoresTheVaultExactlyAndEveryAttachment() throws Exception {
        byte[] vault = vaultJson(3, "plain");
        byte[] a = randomBytes(70_000, 1);
        byte[] b = "hello".getBytes();
        try (BackupRepository repo = plain()) {
            BackupRun.Committed run = repo.backup(source(vault, 3, attachment("item-0", "att-a", "a.bin", a), attachment("item-1", "att-b", "b.txt", b)));
            assertEquals(1, run.generation());
            assertEquals(2, run.stats().newBlobCount());
            IndexDocument catalogue = repo.readIndex().catalogue();
            SnapshotEntry entry = catalogue.snapshots().get(run.snapshotId());
            assertEquals(ObjectEncryption.NONE, entry.encryption());
            assertEquals(vault.length, entry.vaultSize());

            Path out = temp.resolve("restored");
            SnapshotRestore.toDirectory(repo.objects(), catalogue, run.snapshotId(), out);
            assertArrayEquals(vault, Files.readAllBytes(out.resolve("vault.json")));
            assertArrayEquals(a, Files.readAllBytes(out.resolve("attachments/att-a/a.bin")));
            assertArrayEquals(b, Files.readAllBytes(out.resolve("attachments/att-b/b.txt")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("vault.json"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("attachments/att-a"))));
            assertTrue(RepositoryCheck.run(repo, true).ok(), () -> "check: " + safeCheck(repo));
        }
    }

    @Test
    void encryptedRoundTripUsesAFreshKeyForEveryObject() throws Exception {
        byte[] vault = vaultJson(2, "secret-marker");
        byte[] a = randomBytes(5_000, 2);
        String snapshotId;
        try (BackupRepository repo = encrypted("correct horse")) {
            snapshotId = repo.backup(source(vault, 2, attachment("item-0", "att-a", "a.bin", a))).snapshotId();
        }
        try (BackupRepository repo = BackupRepository.open(store, CODEC, "correct horse".toCharArray(), clock)) {
            assertTrue(repo.encrypted());
            IndexDocument catalogue = repo.readIndex().catalogue();
            SnapshotEntry snapshot = catalogue.snapshots().get(snapshotId);
            BlobEntry blob = catalogue.blobs().values().iterator().next();
            assertEquals(ObjectEncryption.METHOD_ZIP_AES_256, snapshot.encryption().method());
            assertEquals(32, Base64.getDecoder().decode(snapshot.encryption().keyBase64()).length);
            assertEquals(44, snapshot.encryption().keyBase64().length());
            assertFalse(snapshot.encryption().keyBase64().equals(blob.encryption().keyBase64()), "per-object keys");
            // the snapshot opens with its own key, and not with the repository password
            assertThrows(WrongPasswordException.class, () -> repo.objects().readSnapshot(snapshot.path(),
                    ObjectEncryption.zipAes256("correct horse")));
            Path out = temp.resolve("restored");
            SnapshotRestore.toDirectory(repo.objects(), catalogue, snapshotId, out);
            assertArrayEquals(vault, Files.readAllBytes(out.resolve("vault.json")));
            assertArrayEquals(a, Files.readAllBytes(out.resolve("attachments/att-a/a.bin")));
        }
        // no plaintext of the vault anywhere in the repository's bytes
        for (ObjectInfo info : store.list("")) {
            try (InputStream in = store.read(info.key())) {
                String raw = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(raw.contains("secret-marker"), info.key() + " holds plaintext");
            }
        }
    }

    @Test
    void aWrongPasswordIsNamedAsSuch() throws Exception {
        encrypted("right").close();
        WrongPasswordException e = assertThrows(WrongPasswordException.class,
                () -> BackupRepository.open(store, CODEC, "wrong".toCharArray(), clock));
        assertTrue(e.getMessage().contains("wrong backup password"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong\"") || e.getMessage().contains("right"), "no password in the message");
    }

    @Test
    void thePasswordModeCannotBeChanged() throws Exception {
        plain().close();
        PasswordModeException withPassword = assertThrows(PasswordModeException.class,
                () -> BackupRepository.open(store, CODEC, "pw".toCharArray(), clock));
        assertTrue(withPassword.getMessage().contains("password mode cannot be changed"), withPassword.getMessage());

        ObjectStore other = FolderStore.open(temp.resolve("other"));
        BackupRepository.create(other, CODEC, "pw".toCharArray(), clock).close();
        PasswordModeException without = assertThrows(PasswordModeException.class, () -> BackupRepository.open(other, CODEC, null, clock));
        assertTrue(without.getMessage().contains("encrypted"), without.getMessage());
    }

    @Test
    void aRepositoryIsCreatedOnlyOnce() throws Exception {
        plain().close();
        RepositoryException e = assertThrows(RepositoryException.class, this::plain);
        assertTrue(e.getMessage().contains("already exists"));
        RepositoryException none = assertThrows(RepositoryException.class,
                () -> BackupRepository.open(FolderStore.open(temp.resolve("empty")), CODEC, null, clock));
        assertTrue(none.getMessage().contains("no repository"), none.getMessage());
    }

    // ---- dedup

    @Test
    void anUnchangedAttachmentIsStoredOnceAcrossThreeRuns() throws Exception {
        byte[] bytes = randomBytes(100_000, 3);
        try (BackupRepository repo = plain()) {
            for (int run = 0; run < 3; run++) {
                clock.advance(Duration.ofMinutes(10));
                BackupRun.Committed committed = repo.backup(source(vaultJson(1, "run" + run), 1, attachment("item-0", "att", "f.bin", bytes)));
                assertEquals(run == 0 ? 1 : 0, committed.stats().newBlobCount(), "run " + run);
                assertEquals(run == 0 ? 0 : 1, committed.stats().reusedBlobCount(), "run " + run);
            }
            assertEquals(1, blobObjects());
            IndexDocument catalogue = repo.readIndex().catalogue();
            assertEquals(3, catalogue.snapshots().size());
            assertEquals(1, catalogue.blobs().size());
            BlobEntry blob = catalogue.blobs().values().iterator().next();
            assertEquals(clock.instant(), blob.lastSeenAt());
            assertEquals(Instant.parse("2026-11-01T10:10:00Z"), blob.createdAt());
        }
    }

    @Test
    void identicalBytesUnderTwoFingerprintsAreStoredOnce() throws Exception {
        byte[] bytes = randomBytes(10_000, 4);
        try (BackupRepository repo = plain()) {
            BackupRun.Committed first = repo.backup(source(vaultJson(2, "x"), 2,
                    attachment("item-0", "att-1", "one.bin", bytes), attachment("item-1", "att-2", "two.bin", bytes)));
            assertEquals(1, first.stats().newBlobCount());
            assertEquals(1, first.stats().reusedBlobCount());
            clock.advance(Duration.ofHours(1));
            BackupRun.Committed second = repo.backup(source(vaultJson(1, "y"), 1, attachment("item-9", "att-3", "three.bin", bytes)));
            assertEquals(0, second.stats().newBlobCount(), "a third fingerprint finds the bytes by their hash");
            assertEquals(1, blobObjects());
            assertEquals(3, repo.readIndex().catalogue().attachments().size());
        }
    }

    @Test
    void aMissingBlobIsStoredAgainWhenItsValidationIsDue() throws Exception {
        byte[] bytes = randomBytes(1_000, 5);
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "a"), 1, attachment("item-0", "att", "f.bin", bytes)));
            String oldPath = repo.readIndex().catalogue().blobs().values().iterator().next().path();
            store.delete(oldPath);
            clock.advance(Duration.ofDays(15)); // beyond 14 days a reused blob is always read back first
            BackupRun.Committed again = repo.backup(source(vaultJson(1, "b"), 1, attachment("item-0", "att", "f.bin", bytes)));
            assertEquals(1, again.stats().newBlobCount());
            Path out = temp.resolve("r");
            SnapshotRestore.toDirectory(repo.objects(), repo.readIndex().catalogue(), again.snapshotId(), out);
            assertArrayEquals(bytes, Files.readAllBytes(out.resolve("attachments/att/f.bin")));
        }
    }

    // ---- failure before the commit point

    @Test
    void aRunThatFailsBeforeTheCommitLeavesNothingBehind() throws Exception {
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "first"), 1, attachment("item-0", "keep", "k.bin", randomBytes(100, 6))));
            IndexState before = repo.readIndex();
            int[] opens = {0};
            AttachmentSource failing = new AttachmentSource("acc", "item-1", "item-1", "bad", "bad.bin", 3_000L, () -> {
                // first open: the content hash; the second, while writing the blob, dies midway
                if (++opens[0] == 1) {
                    return new ByteArrayInputStream(new byte[3_000]);
                }
                return new InputStream() {
                    int served;
                    @Override
                    public int read() throws IOException {
                        if (served++ > 1_000) {
                            throw new IOException("source went away");
                        }
                        return 0;
                    }
                };
            });
            clock.advance(Duration.ofMinutes(1));
            IOException e = assertThrows(IOException.class, () -> repo.backup(source(vaultJson(2, "second"), 2,
                    attachment("item-0", "new-ok", "ok.bin", randomBytes(2_000, 7)), failing)));
            assertEquals("source went away", e.getMessage());
            assertEquals(before, repo.readIndex(), "the catalogue did not move");
            assertEquals(1, blobObjects(), "the blob the failed run wrote was rolled back");
            assertEquals(1, store.list(RepositoryPaths.SNAPSHOTS).size());
            assertTrue(store.list("").stream().noneMatch(i -> i.key().contains(".kg-tmp-")));
            assertTrue(RepositoryCheck.run(repo, true).ok());
        }
    }

    @Test
    void rollbackKeepsBlobsThatTheNewestIndexLists() throws Exception {
        try (BackupRepository repo = plain()) {
            BackupRun run = repo.startRun(source(vaultJson(1, "a"), 1, attachment("item-0", "att", "f.bin", randomBytes(500, 8))));
            BackupRun.Plan plan = run.plan();
            run.storeBlobs();
            run.writeSnapshot();
            List<String> written = run.newBlobIds();
            assertEquals(plan.newBlobIds(), written);
            String snapshotKey = run.snapshotKey();
            run.commit();
            // a crashed process's journal says the run was in flight: recovery must not delete committed objects
            assertEquals(0, RunRollback.rollback(repo.objects(), written, snapshotKey));
            assertTrue(RepositoryCheck.run(repo, true).ok());
        }
    }

    // ---- several writers

    /**
     * Two first runs on a fresh location whose server answered success to both creates of repo.zip
     * (Apache mod_dav checks, then renames): the other writer's rename landed just after ours.
     */
    private ObjectStore racingRepoCreate(byte[] othersRepoZip) {
        AtomicBoolean raced = new AtomicBoolean();
        return new DelegatingStore(store) {
            @Override
            public ObjectInfo create(String key, ObjectContent content) throws IOException {
                ObjectInfo created = delegate.create(key, content);
                if (key.equals(RepositoryPaths.REPO) && raced.compareAndSet(false, true)) {
                    delegate.replace(key, ObjectContent.ofBytes(othersRepoZip));
                }
                return created;
            }
        };
    }

    /** Another writer's repo.zip, made elsewhere, and its repository id. */
    private record OtherRepo(byte[] zip, String id) {}

    private OtherRepo anotherRepo(char[] password) throws IOException {
        try (FolderStore elsewhere = FolderStore.open(temp.resolve("elsewhere"));
                BackupRepository other = BackupRepository.create(elsewhere, CODEC, password, clock);
                InputStream in = elsewhere.read(RepositoryPaths.REPO)) {
            return new OtherRepo(in.readAllBytes(), other.metadata().repoId());
        }
    }

    @Test
    void aCreatedRepositoryThatARacingCreateReplacedIsReportedAsExistingAndOpenOrCreateOpensTheWinners() throws Exception {
        OtherRepo others = anotherRepo(null);

        assertThrows(RepositoryExistsException.class,
                () -> BackupRepository.create(racingRepoCreate(others.zip()), CODEC, null, clock));
        store.delete(RepositoryPaths.REPO);
        try (BackupRepository opened = BackupRepository.openOrCreate(racingRepoCreate(others.zip()), CODEC, null, clock)) {
            assertEquals(others.id(), opened.metadata().repoId());
        }
    }

    @Test
    void aRacingCreateWithAnotherPasswordIsAnotherWritersRepository() throws Exception {
        OtherRepo others = anotherRepo("their password".toCharArray());

        assertThrows(RepositoryExistsException.class,
                () -> BackupRepository.create(racingRepoCreate(others.zip()), CODEC, "our password".toCharArray(), clock));
    }

    /** Runs both to the commit; the second reads the catalogue before the first's commit lands: one generation, two heads. */
    private BackupRun.Committed[] commitAtOnce(BackupRepository repo, FetchedVault first, FetchedVault second) throws IOException {
        FrozenListingStore racing = new FrozenListingStore(store);
        BackupRepository other = BackupRepository.open(racing, CODEC, repo.encrypted() ? "pw".toCharArray() : null, clock);
        BackupRun a = repo.startRunUnlocked(first);
        clock.advance(Duration.ofMinutes(1));
        BackupRun b = other.startRunUnlocked(second);
        for (BackupRun run : List.of(a, b)) {
            run.plan();
            run.storeBlobs();
            run.writeSnapshot();
        }
        racing.freeze();
        BackupRun.Committed ca = a.commit();
        return new BackupRun.Committed[] {ca, b.commit()};
    }

    @Test
    void twoWritersCommittingTheSameGenerationAreMergedByTheNextReader() throws Exception {
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "base"), 1));
            BackupRun.Committed[] both = commitAtOnce(repo,
                    source(vaultJson(1, "a"), 1, attachment("item-0", "att-a", "a", randomBytes(300, 9))),
                    source(vaultJson(1, "b"), 1, attachment("item-0", "att-b", "b", randomBytes(400, 10))));
            BackupRun.Committed ca = both[0];
            BackupRun.Committed cb = both[1];
            assertEquals(2, ca.generation());
            assertEquals(2, cb.generation());

            IndexState merged = repo.readIndex();
            assertEquals(2, merged.generation());
            assertEquals(2, merged.headIds().size());
            assertEquals(3, merged.catalogue().snapshots().size());
            assertEquals(2, merged.catalogue().blobs().size());

            BackupRun.Committed next = repo.backup(source(vaultJson(1, "c"), 1));
            assertEquals(3, next.generation());
            IndexDocument third = repo.objects().readIndex(next.indexKey());
            assertEquals(merged.headIds(), third.parentIndexIds().stream().sorted().toList(), "the next index names both heads");
            assertEquals(4, third.snapshots().size());
            assertTrue(RepositoryCheck.run(repo, true).ok());
        }
    }

    /**
     * A lock-free writer (Keyguard) whose index lands after a third writer read the catalogue: the
     * third builds the next generation without it. Its snapshot must stay listed, and the next
     * write must name it, or it is lost to every reader.
     */
    @Test
    void anIndexLeftOutByTheNextGenerationIsStillAHead() throws Exception {
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "base"), 1));
            FrozenListingStore slowView = new FrozenListingStore(store);
            FrozenListingStore thirdView = new FrozenListingStore(store);
            BackupRepository slowRepo = BackupRepository.open(slowView, CODEC, null, clock);
            BackupRepository thirdRepo = BackupRepository.open(thirdView, CODEC, null, clock);
            BackupRun slow = slowRepo.startRunUnlocked(source(vaultJson(1, "slow"), 1));
            slow.plan();
            slow.storeBlobs();
            slow.writeSnapshot();
            slowView.freeze();
            clock.advance(Duration.ofMinutes(1));
            BackupRun.Committed first = repo.backup(source(vaultJson(1, "first"), 1));
            BackupRun third = thirdRepo.startRunUnlocked(source(vaultJson(1, "third"), 1));
            third.plan();
            third.storeBlobs();
            third.writeSnapshot();
            thirdView.freeze();
            BackupRun.Committed late = slow.commit();
            BackupRun.Committed over = third.commit();
            assertEquals(2, late.generation(), "the slow writer read generation 1");
            assertEquals(3, over.generation());
            assertEquals(List.of(RepositoryPaths.parseIndex(first.indexKey()).orElseThrow().indexId()),
                    repo.objects().readIndex(over.indexKey()).parentIndexIds(), "the third writer never saw the slow one's index");

            IndexState read = repo.readIndex();
            assertEquals(3, read.generation());
            assertTrue(read.catalogue().snapshots().containsKey(late.snapshotId()), "the slow writer's snapshot is listed");
            assertEquals(4, read.catalogue().snapshots().size());
            CheckReport report = RepositoryCheck.run(repo, true);
            assertTrue(report.ok(), () -> "check: " + report.problems());

            BackupRun.Committed next = repo.backup(source(vaultJson(1, "next"), 1));
            IndexDocument joined = repo.objects().readIndex(next.indexKey());
            assertEquals(read.headIds(), joined.parentIndexIds().stream().sorted().toList(), "the next index names the left-out one");
            assertEquals(5, joined.snapshots().size());
            assertEquals(List.of(joined.indexId()), repo.readIndex().headIds());
        }
    }

    @Test
    void twoWritersThatReuseOneBlobAtDifferentTimesHealInsteadOfBricking() throws Exception {
        byte[] shared = randomBytes(300, 11);
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "base"), 1, attachment("item-0", "att", "f", shared)));
            clock.advance(Duration.ofMinutes(1));
            BackupRun.Committed[] both = commitAtOnce(repo,
                    source(vaultJson(1, "a"), 1, attachment("item-0", "att", "f", shared)),
                    source(vaultJson(1, "b"), 1, attachment("item-0", "att", "f", shared)));
            BackupRun.Committed ca = both[0];
            BackupRun.Committed cb = both[1];
            IndexDocument first = repo.objects().readIndex(ca.indexKey());
            IndexDocument second = repo.objects().readIndex(cb.indexKey());
            String blobId = first.blobs().keySet().iterator().next();
            assertFalse(first.blobs().get(blobId).equals(second.blobs().get(blobId)),
                    "the brick of issue 12: one generation, two heads, the same blob seen at two times");

            IndexState healed = repo.readIndex();
            assertEquals(List.of(), healed.conflicts(), "bookkeeping differences are no conflict");
            assertTrue(healed.mergedHeads());
            Set<String> listed = new java.util.TreeSet<>(first.snapshots().keySet());
            listed.addAll(second.snapshots().keySet());
            assertEquals(3, listed.size());
            assertEquals(listed, healed.catalogue().snapshots().keySet(), "both runs' snapshots and the base are listed");
            assertEquals(second.blobs().get(blobId).lastSeenAt(), healed.catalogue().blobs().get(blobId).lastSeenAt(), "the newest wins");
            CheckReport report = RepositoryCheck.run(repo, true);
            assertTrue(report.ok(), () -> "check: " + report.problems());
            assertEquals(List.of("generation 2 is read from 2 heads (" + String.join(", ", healed.headIds())
                    + "), merged on read; the next write joins them"), report.notes());

            BackupRun.Committed next = repo.backup(source(vaultJson(1, "c"), 1, attachment("item-0", "att", "f", shared)));
            IndexDocument joined = repo.objects().readIndex(next.indexKey());
            assertEquals(healed.headIds(), joined.parentIndexIds(), "the next index names every head");
            assertEquals(4, joined.snapshots().size());
            assertEquals(1, joined.blobs().size(), "the blob is still deduplicated");
            assertEquals(List.of(joined.indexId()), repo.readIndex().headIds(), "one head again, as Keyguard's reader needs");
            for (String id : joined.snapshots().keySet()) {
                Path out = temp.resolve("restored-" + id);
                SnapshotRestore.toDirectory(repo.objects(), joined, id, out);
                assertArrayEquals(shared, Files.readAllBytes(out.resolve("attachments/att/f")));
            }
            assertEquals(List.of(), RepositoryCheck.run(repo, true).notes());
        }
    }

    @Test
    void aRunHoldsTheWriterLockFromItsStartToItsCommit() throws Exception {
        LockRule quick = new LockRule(Duration.ofMinutes(1), Duration.ofMillis(300), Duration.ofMillis(50));
        try (BackupRepository repo = plain();
             BackupRepository other = BackupRepository.open(store, CODEC, null, clock).lockAs("vaultkeep prune", quick, w -> { })) {
            repo.lockAs("vaultkeep backup", quick, w -> { });
            BackupRun run = repo.startRun(source(vaultJson(1, "a"), 1));
            RepositoryLockedException locked = assertThrows(RepositoryLockedException.class,
                    () -> other.backup(source(vaultJson(1, "b"), 1)));
            assertTrue(locked.getMessage().startsWith("repository " + store.describe() + " is locked by vaultkeep backup (pid "),
                    locked.getMessage());
            assertThrows(RepositoryLockedException.class, () -> other.prune(other.planPrune(1, clock.instant())));
            run.plan();
            run.storeBlobs();
            run.writeSnapshot();
            run.commit();
            assertEquals(2, other.backup(source(vaultJson(1, "b"), 1)).generation(), "released at the commit");

            BackupRun failing = repo.startRun(source(vaultJson(1, "c"), 1));
            failing.plan();
            failing.rollback();
            assertEquals(3, other.backup(source(vaultJson(1, "d"), 1)).generation(), "released at a rollback");

            repo.startRun(source(vaultJson(1, "e"), 1));
            repo.close();
            assertEquals(4, other.backup(source(vaultJson(1, "f"), 1)).generation(), "released when the repository closes");
        }
    }

    @Test
    void aRunCommitsOntoWhatOthersCommittedSinceItStarted() throws Exception {
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "base"), 1));
            BackupRun slow = repo.startRun(source(vaultJson(1, "slow"), 1, attachment("item-0", "att", "f", randomBytes(200, 13))));
            slow.plan();
            slow.storeBlobs();
            slow.writeSnapshot();
            BackupRun.Committed second = repo.backup(source(vaultJson(1, "two"), 1));
            BackupRun.Committed third = repo.backup(source(vaultJson(1, "three"), 1));
            BackupRun.Committed late = slow.commit();
            assertEquals(4, late.generation(), "above the generations committed while it ran, not beside its start");
            IndexDocument newest = repo.readIndex().catalogue();
            assertTrue(newest.snapshots().keySet().containsAll(List.of(second.snapshotId(), third.snapshotId(), late.snapshotId())));
            assertEquals(4, newest.snapshots().size());
            assertTrue(RepositoryCheck.run(repo, true).ok());
        }
    }

    @Test
    void aBlobWhoseSizeDiffersBetweenHeadsIsReportedAndNotReused() throws Exception {
        byte[] shared = randomBytes(300, 12);
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "base"), 1, attachment("item-0", "att", "f", shared)));
            IndexState base = repo.readIndex();
            IndexDocument catalogue = base.catalogue();
            String blobId = catalogue.blobs().keySet().iterator().next();
            BlobEntry blob = catalogue.blobs().get(blobId);
            for (long size : List.of(blob.plainSize(), blob.plainSize() + 1)) {
                Map<String, BlobEntry> blobs = Map.of(blobId, new BlobEntry(blob.path(), size, blob.encryptedSize(),
                        blob.createdAt(), blob.lastSeenAt(), blob.lastValidatedAt(), blob.encryption()));
                repo.objects().commitIndex(catalogue.successor(UUID.randomUUID().toString(), 2, base.headIds(), clock.instant(),
                        catalogue.snapshots(), catalogue.attachments(), blobs, catalogue.contentHashes()));
            }
            IndexState merged = repo.readIndex();
            assertEquals(1, merged.conflicts().size());
            assertEquals(catalogue.snapshots().keySet(), merged.catalogue().snapshots().keySet(), "the snapshot stays listed");
            CheckReport report = RepositoryCheck.run(repo, false);
            assertEquals(List.of(CheckReport.Kind.INCONSISTENT), report.problems().stream().map(CheckReport.Problem::kind).toList());
            assertTrue(report.problems().get(0).detail().startsWith("blob " + blobId + " differs between indexes"),
                    report.problems().get(0).detail());

            BackupRun.Committed next = repo.backup(source(vaultJson(1, "x"), 1, attachment("item-0", "att", "f", shared)));
            assertEquals(1, next.stats().newBlobCount(), "the corrupt blob is not reused: the bytes are stored afresh");
            Path out = temp.resolve("restored");
            SnapshotRestore.toDirectory(repo.objects(), repo.readIndex().catalogue(), next.snapshotId(), out);
            assertArrayEquals(shared, Files.readAllBytes(out.resolve("attachments/att/f")));
        }
    }

    @Test
    void aDamagedNewestIndexIsReportedAndNothingIsWrittenOnTopOfIt() throws Exception {
        try (BackupRepository repo = plain()) {
            repo.backup(source(vaultJson(1, "one"), 1));
            clock.advance(Duration.ofMinutes(1));
            BackupRun.Committed second = repo.backup(source(vaultJson(1, "two"), 1));
            Path file = temp.resolve("repo").resolve(second.indexKey());
            Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 40));
            IndexState state = repo.readIndex();
            assertEquals(1, state.generation(), "generation 2 is unreadable: generation 1 is what can be read");
            assertTrue(state.damaged());
            assertEquals(second.indexKey(), state.unreadable().get(0).key());
            String expected = "index generation 2 (" + second.indexKey() + ") is unreadable: run 'vaultkeep check', then 'vaultkeep repair'";
            List<String> before = store.list("").stream().map(ObjectInfo::key).filter(k -> !k.startsWith("locks/")).toList();
            DamagedIndexException backup = assertThrows(DamagedIndexException.class, () -> repo.backup(source(vaultJson(1, "three"), 1)));
            assertEquals(expected, backup.getMessage());
            assertEquals(expected, assertThrows(DamagedIndexException.class, () -> repo.planPrune(1, clock.instant())).getMessage());
            PrunePlan plan = new PrunePlan(clock.instant(), 1, List.of(), List.of("x"), List.of(RepositoryPaths.snapshot("x")),
                    List.of(), List.of());
            assertEquals(expected, assertThrows(DamagedIndexException.class, () -> repo.prune(plan)).getMessage());
            assertEquals(expected, assertThrows(DamagedIndexException.class,
                    () -> IndexCompaction.compact(repo.objects(), 1)).getMessage());
            assertEquals(expected, assertThrows(DamagedIndexException.class,
                    () -> RunRollback.rollback(repo.objects(), List.of(), second.snapshotKey())).getMessage());
            assertEquals(before, store.list("").stream().map(ObjectInfo::key).filter(k -> !k.startsWith("locks/")).toList(),
                    "nothing written, nothing deleted");
            CheckReport report = RepositoryCheck.run(repo, false);
            assertEquals(List.of(second.indexKey()), report.problems().stream()
                    .filter(p -> p.kind() == CheckReport.Kind.CORRUPT).map(CheckReport.Problem::path).toList());
        }
    }

    // ---- retention

    @Test
    void pruneFollowsTheRuleAndDeletesDroppedSnapshotsAndUnreferencedBlobs() throws Exception {
        try (BackupRepository repo = plain()) {
            Instant start = clock.instant();
            for (int day = 0; day < 10; day++) {
                clock.set(start.plus(Duration.ofDays(day)));
                // every snapshot has an attachment of its own and one shared by all
                repo.backup(source(vaultJson(1, "d" + day), 1,
                        attachment("item-0", "shared", "s.bin", randomBytes(200, 99)),
                        attachment("item-0", "own-" + day, "o.bin", randomBytes(100, day))));
            }
            assertEquals(11, blobObjects());
            PrunePlan plan = repo.planPrune(3, clock.instant());
            assertEquals(3, plan.keptSnapshotIds().size());
            assertEquals(7, plan.droppedSnapshotIds().size());
            assertEquals(7, plan.droppedBlobIds().size());
            RepositoryPrune.Result result = repo.prune(plan);
            assertNotNull(result.indexKey());
            assertEquals(7, result.deletedSnapshots());
            assertEquals(7, result.deletedBlobs());
            assertEquals(3, store.list(RepositoryPaths.SNAPSHOTS).size());
            assertEquals(4, blobObjects(), "the shared blob and the three kept snapshots' own");
            IndexDocument after = repo.readIndex().catalogue();
            assertEquals(java.util.Set.copyOf(plan.keptSnapshotIds()), after.snapshots().keySet());
            assertEquals(4, after.attachments().size(), "fingerprints of deleted blobs are forgotten");
            assertTrue(RepositoryCheck.run(repo, true).ok(), () -> safeCheck(repo));
            // pruning again changes nothing
            assertNull(repo.prune(repo.planPrune(3, clock.instant())).indexKey());
        }
    }

    @Test
    void anInterruptedPruneFinishesFromItsPlan() throws Exception {
        try (BackupRepository repo = plain()) {
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofHours(1));
                repo.backup(source(vaultJson(1, "h" + i), 1, attachment("item-0", "a" + i, "f", randomBytes(100, i))));
            }
            PrunePlan plan = repo.planPrune(1, clock.instant());
            // the process died after the pruned index and one deletion
            ObjectStore dying = new DelegatingStore(store) {
                int deletes;
                @Override
                public boolean delete(String key) throws IOException {
                    if (++deletes > 1) {
                        throw new IOException("killed");
                    }
                    return super.delete(key);
                }
            };
            assertThrows(IOException.class, () -> RepositoryPrune.execute(new RepositoryObjects(dying, CODEC, null), plan, plan.maxSnapshots(), clock.instant()));
            assertFalse(RepositoryCheck.run(repo, false).ok(), "orphans remain after the crash");
            RepositoryPrune.Result resumed = repo.prune(plan);
            assertNull(resumed.indexKey(), "the pruned index was already committed");
            assertTrue(RepositoryCheck.run(repo, true).ok(), () -> safeCheck(repo));
            assertEquals(1, repo.readIndex().catalogue().snapshots().size());
        }
    }

    @Test
    void compactionDeletesOnlySupersededGenerations() throws Exception {
        try (BackupRepository repo = plain()) {
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofMinutes(1));
                repo.backup(source(vaultJson(1, "g" + i), 1));
            }
            IndexState before = repo.readIndex();
            List<String> deleted = IndexCompaction.compact(repo.objects(), 2);
            assertEquals(2, deleted.size());
            assertTrue(deleted.stream().allMatch(k -> k.startsWith("indexes/0000000000000000000") && (k.contains("00001-") || k.contains("00002-"))), deleted.toString());
            assertEquals(2, store.list(RepositoryPaths.INDEXES).size());
            assertEquals(before, repo.readIndex(), "the catalogue is unchanged");
            assertTrue(RepositoryCheck.run(repo, true).ok());
            assertThrows(IllegalArgumentException.class, () -> IndexCompaction.compact(repo.objects(), 0));
        }
    }

    @Test
    void staleTemporaryFilesAreSweptByTheNextRun() throws Exception {
        try (BackupRepository repo = plain()) {
            Path stale = temp.resolve("repo/blobs/ab/cd/.kg-tmp-stale.tmp");
            Files.createDirectories(stale.getParent());
            Files.write(stale, new byte[10]);
            Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            repo.backup(source(vaultJson(1, "x"), 1));
            assertFalse(Files.exists(stale));
        }
    }

    private static String safeCheck(BackupRepository repo) {
        try {
            return RepositoryCheck.run(repo, true).problems().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
