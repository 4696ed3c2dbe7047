package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.RepoCrypto;
import io.vaultkeep.protocol.repository.RepoDocument;
import io.vaultkeep.protocol.repository.RepoLayout;
import io.vaultkeep.storage.archive.UnencryptedEntryException;
import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.store.ObjectAlreadyExistsException;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.lock.LockRule;
import io.vaultkeep.storage.lock.WriterLock;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A Keyguard-compatible backup repository in one location. Opening checks the metadata; the
 * catalogue is re-read for every operation, because the index (not this object) is the truth and
 * another writer may have committed since.
 */
public final class BackupRepository implements AutoCloseable {

    /** Temp files of interrupted writes older than this are swept by the next run. */
    private static final long STALE_TEMP_MILLIS = 60 * 60 * 1000L;

    private final RepositoryObjects objects;
    private final RepoDocument metadata;
    private final Clock clock;
    private final char[] password;
    private RandomGenerator dice = RandomGenerator.getDefault();
    private WriterLock writerLock;
    private String lockOwner = "vaultkeep";
    /** The lock this repository holds, shared by nested writes (a prune's plan, execution and compaction). */
    private WriterLock.Holding held;
    private int holds;

    private BackupRepository(RepositoryObjects objects, RepoDocument metadata, Clock clock, char[] password) {
        this.objects = objects;
        this.metadata = metadata;
        this.clock = clock;
        this.password = password;
        this.writerLock = WriterLock.forStore(objects.store(), LockRule.DEFAULT, clock,
                warning -> System.getLogger(BackupRepository.class.getName()).log(System.Logger.Level.WARNING, warning));
    }

    public static boolean exists(ObjectStore store) throws IOException {
        return store.stat(RepositoryPaths.REPO).isPresent();
    }

    /**
     * Creates a repository: {@code repo.zip}, create-only. A password (copied; the caller may wipe
     * its array) makes it encrypted for good; null makes it plain for good.
     */
    public static BackupRepository create(ObjectStore store, ZipCodec codec, char[] password, Clock clock) throws IOException {
        char[] own = password == null ? null : password.clone();
        RepositoryObjects objects = new RepositoryObjects(store, codec, own);
        RepoDocument metadata = RepoDocument.create(UUID.randomUUID().toString(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), own != null);
        try {
            objects.createRepo(metadata);
        } catch (ObjectAlreadyExistsException e) {
            throw new RepositoryExistsException("a repository already exists at " + store.describe());
        }
        if (!createdAsWritten(objects, metadata)) {
            // A server may answer success to two racing creates (Apache mod_dav): the one in place won.
            throw new RepositoryExistsException("a repository already exists at " + store.describe()
                    + " (another writer created it at the same time)");
        }
        return new BackupRepository(objects, metadata, clock, own);
    }

    /** Whether {@code repo.zip} reads back as the repository this writer just created, not another's. */
    private static boolean createdAsWritten(RepositoryObjects objects, RepoDocument written) throws IOException {
        try {
            return written.repoId().equals(objects.readRepo().repoId());
        } catch (WrongPasswordException | UnencryptedEntryException another) {
            return false; // another writer's, made with another password or none
        }
    }

    /** Opens a repository, checking its features, layout and that the password mode matches. */
    public static BackupRepository open(ObjectStore store, ZipCodec codec, char[] password, Clock clock) throws IOException {
        if (!exists(store)) {
            throw new NoRepositoryException("no repository at " + store.describe() + " (repo.zip not found): create one with `vaultkeep init`");
        }
        char[] own = password == null ? null : password.clone();
        RepositoryObjects objects = new RepositoryObjects(store, codec, own);
        RepoDocument metadata;
        try {
            metadata = objects.readRepo();
        } catch (UnencryptedEntryException e) {
            throw new PasswordModeException("password mode cannot be changed: the repository at " + store.describe()
                    + " is plain (unencrypted), but a backup password was given");
        } catch (WrongPasswordException e) {
            throw own == null
                    ? new PasswordModeException("the repository at " + store.describe() + " is encrypted: a backup password is required")
                    : new WrongPasswordException("wrong backup password for the repository at " + store.describe());
        }
        checkSupported(metadata, own != null, store.describe());
        return new BackupRepository(objects, metadata, clock, own);
    }

    /** Opens the repository at the location, creating it first when there is none. */
    public static BackupRepository openOrCreate(ObjectStore store, ZipCodec codec, char[] password, Clock clock) throws IOException {
        if (!exists(store)) {
            try {
                return create(store, codec, password, clock);
            } catch (RepositoryExistsException raced) {
                // another writer created it first: open theirs
            }
        }
        return open(store, codec, password, clock);
    }

    private static void checkSupported(RepoDocument metadata, boolean withPassword, String where) throws RepositoryException {
        if (metadata.formatVersion() != RepoDocument.FORMAT_VERSION) {
            throw new RepositoryException("unsupported repository format version " + metadata.formatVersion() + " at " + where);
        }
        List<String> missing = RepoDocument.REQUIRED_FEATURES.stream().filter(f -> !metadata.features().contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new RepositoryException("the repository at " + where + " lacks required features " + missing);
        }
        if (!RepoLayout.DEFAULT.equals(metadata.layout())) {
            throw new RepositoryException("the repository at " + where + " uses an unsupported layout " + metadata.layout());
        }
        RepoCrypto crypto = metadata.crypto();
        boolean encrypted = RepoCrypto.ZIP_AES_256.equals(crypto.archive());
        if (encrypted != RepoCrypto.ZIP_AES_256.equals(crypto.objectArchive())
                || !List.of(RepoCrypto.ZIP_AES_256, RepoCrypto.ZIP_NONE).contains(crypto.archive())
                || !List.of(RepoCrypto.ZIP_AES_256, RepoCrypto.ZIP_NONE).contains(crypto.objectArchive())) {
            throw new RepositoryException("the repository at " + where + " uses unsupported archive crypto " + crypto.archive() + "/" + crypto.objectArchive());
        }
        if (encrypted != withPassword) {
            throw new PasswordModeException("password mode cannot be changed: the repository at " + where + " is "
                    + (encrypted ? "encrypted and needs its backup password" : "plain (unencrypted), but a backup password was given"));
        }
    }

    public RepoDocument metadata() {
        return metadata;
    }

    public boolean encrypted() {
        return password != null;
    }

    public RepositoryObjects objects() {
        return objects;
    }

    public String describe() {
        return objects.store().describe();
    }

    /**
     * Reads each index once across the runs that share {@code cache} ({@link IndexCache}); the
     * listing is still read every time, so another writer's new index is always seen.
     */
    public BackupRepository rememberingIndexes(IndexCache cache) {
        objects.rememberIndexes(cache);
        return this;
    }

    /**
     * How this repository takes its writer lock: the name waiting writers see, how long it waits and
     * binds, and where a takeover of a stale lock is reported.
     */
    public BackupRepository lockAs(String owner, LockRule rule, Consumer<String> warnings) {
        this.lockOwner = owner;
        this.writerLock = WriterLock.forStore(objects.store(), rule, clock, warnings);
        return this;
    }

    /**
     * Takes the writer lock (or joins this repository's own holding of it): every write that commits
     * an index or deletes runs under it. Closing the result releases it, as does closing the repository.
     */
    public WriterLock.Holding lock() throws IOException {
        if (holds == 0) {
            held = writerLock.acquire(lockOwner);
        }
        holds++;
        WriterLock.Holding shared = held;
        return new WriterLock.Holding() {
            private boolean closed;

            @Override
            public void verify() throws IOException {
                shared.verify();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    release(shared);
                }
            }
        };
    }

    private void release(WriterLock.Holding holding) throws IOException {
        if (holding == held && --holds == 0) {
            held = null;
            holding.close();
        }
    }

    /** The current catalogue (newest readable generation, heads merged). */
    public IndexState readIndex() throws IOException {
        return IndexReader.read(objects);
    }

    /**
     * A run against the current catalogue, ready for {@link BackupRun#plan()}: the caller has the
     * vault in hand, the catalogue is read under the writer lock, and the run holds the lock from here
     * to its commit or rollback (invariant «one writer at a time where it can be known», docs/design.md).
     */
    public BackupRun startRun(FetchedVault source) throws IOException {
        WriterLock.Holding lock = lock();
        try {
            return startRun(source, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A run that takes no lock, as Keyguard's: for the tests of invariant «heal, never brick» (docs/design.md). */
    BackupRun startRunUnlocked(FetchedVault source) throws IOException {
        return startRun(source, null);
    }

    private BackupRun startRun(FetchedVault source, WriterLock.Holding lock) throws IOException {
        objects.store().cleanTemporaryFiles(STALE_TEMP_MILLIS);
        // invariant «never build on an unreadable index»
        return new BackupRun(objects, readIndex().requireWritable(), source, clock.instant(), dice, lock);
    }

    /** One whole run; on any failure before the commit, the run's objects are rolled back. */
    public BackupRun.Committed backup(FetchedVault source) throws IOException {
        return backup(source, true).committed();
    }

    /**
     * What {@link #backupUnlessUnchanged} did: the commit, or (committed null) the id of the newest
     * snapshot, which already holds exactly this source.
     */
    public record Outcome(BackupRun.Committed committed, String unchangedSince) {}

    /** One whole run, unless the newest snapshot already holds exactly this source: then nothing is written. */
    public Outcome backupUnlessUnchanged(FetchedVault source) throws IOException {
        return backup(source, false);
    }

    private Outcome backup(FetchedVault source, boolean force) throws IOException {
        BackupRun run = startRun(source);
        try {
            BackupRun.Plan plan = run.plan();
            if (!force && plan.unchangedSince() != null) {
                return new Outcome(null, plan.unchangedSince()); // planned only: nothing was written
            }
            run.storeBlobs();
            run.writeSnapshot();
            return new Outcome(run.commit(), null);
        } catch (IOException | RuntimeException failure) {
            try {
                run.rollback();
            } catch (IOException | RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
    }

    /** What retention drops; refused on a damaged catalogue, which may lack snapshots the rule must weigh. */
    public PrunePlan planPrune(int maxSnapshots, Instant at) throws IOException {
        return RepositoryPrune.plan(readIndex().requireWritable().catalogue(), maxSnapshots, at);
    }

    public RepositoryPrune.Result prune(PrunePlan plan) throws IOException {
        return prune(plan, plan.maxSnapshots());
    }

    /**
     * Executes a journaled plan under the writer lock; {@code maxSnapshots} is the caller's own
     * retention setting, so what goes is decided from the index read here (see {@link RepositoryPrune#execute}).
     */
    public RepositoryPrune.Result prune(PrunePlan plan, int maxSnapshots) throws IOException {
        try (WriterLock.Holding lock = lock()) {
            return RepositoryPrune.execute(objects, plan, maxSnapshots, clock.instant());
        }
    }

    /** Undoes a run that did not commit (see {@link RunRollback}), under the writer lock. */
    public int rollbackRun(Collection<String> blobIds, String snapshotKeyOrNull) throws IOException {
        try (WriterLock.Holding lock = lock()) {
            return RunRollback.rollback(objects, blobIds, snapshotKeyOrNull);
        }
    }

    /**
     * Writes a new index generation from what is still readable (see {@link RepositoryRepair}), under
     * the writer lock; a dry run only reports.
     */
    public RepositoryRepair.Report repair(boolean dryRun) throws IOException {
        if (dryRun) {
            return RepositoryRepair.repair(objects, true, clock.instant());
        }
        try (WriterLock.Holding lock = lock()) {
            return RepositoryRepair.repair(objects, false, clock.instant());
        }
    }

    /** Deletes superseded index generations (see {@link IndexCompaction}), under the writer lock. */
    public List<String> compactIndexes(int keepGenerations) throws IOException {
        try (WriterLock.Holding lock = lock()) {
            return IndexCompaction.compact(objects, keepGenerations);
        }
    }

    /** For tests: a fixed source of the blob re-validation coin. */
    void validationDice(RandomGenerator dice) {
        this.dice = dice;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Releases the writer lock if a run still holds it; wipes the in-memory copy of the backup password. */
    @Override
    public void close() throws IOException {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
        if (held != null) {
            WriterLock.Holding holding = held;
            held = null;
            holds = 0;
            holding.close();
        }
    }
}
