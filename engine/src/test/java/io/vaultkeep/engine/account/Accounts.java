package io.vaultkeep.engine.account;

import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.repository.IndexState;
import io.vaultkeep.storage.store.FolderStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/** Accounts on real folder repositories, vaults to push, and bounded waits for the tests. */
final class Accounts {

    static final EngineTuning FAST = new EngineTuning(
            new DebounceRule(Duration.ofMillis(200), Duration.ofSeconds(1)),
            new BackoffPolicy(Duration.ofMillis(300), Duration.ofSeconds(1), 0),
            50, 2, Duration.ofSeconds(10), Duration.ofSeconds(30), 4);

    /** FAST, but a source's own reports never start a run within a test: only what the test sends does. */
    static final EngineTuning QUIET = new EngineTuning(new DebounceRule(Duration.ofSeconds(60), Duration.ofSeconds(120)),
            FAST.backoff(), 50, 2, Duration.ofSeconds(10), FAST.stepTimeout(), 4);

    private Accounts() {}

    /** An account fed by pushes, its repository in {@code <root>/<id>}. */
    record TestAccount(String id, Path location, PushVaultSource source, AccountSettings settings, char[] password) {

        String persistenceId() {
            return AccountBackup.ENTITY_TYPE.name() + "|" + id;
        }

        BackupRepository openRepository() throws IOException {
            return BackupRepository.open(FolderStore.open(location), new Zip4jCodec(), password, Clock.systemUTC());
        }

        IndexState index() throws IOException {
            try (BackupRepository repository = openRepository()) {
                return repository.readIndex();
            }
        }

        CheckReport check() throws IOException {
            try (BackupRepository repository = openRepository()) {
                return RepositoryCheck.run(repository, true);
            }
        }
    }

    static TestAccount account(Path root, String id, String password, int retention) {
        Path location = root.resolve(id);
        char[] secret = password == null ? null : password.toCharArray();
        PushVaultSource source = new PushVaultSource();
        AccountSettings settings = new AccountSettings(id, () -> FolderStore.open(location), secret, retention, true, source);
        return new TestAccount(id, location, source, settings, secret);
    }

    static AccountSettings withLocation(AccountSettings settings, AccountSettings.LocationOpener location) {
        return new AccountSettings(settings.accountId(), location, settings.backupPassword(), settings.retentionMax(),
                settings.includeAttachments(), settings.source());
    }

    static byte[] vaultJson(int items, String marker) {
        StringBuilder b = new StringBuilder("{\"encrypted\":false,\"folders\":[],\"items\":[");
        for (int i = 0; i < items; i++) {
            b.append(i > 0 ? "," : "").append("{\"id\":\"item-").append(i).append("\",\"type\":1,\"name\":\"Login ")
                    .append(i).append(' ').append(marker).append("\",\"login\":{\"username\":\"user").append(i)
                    .append("\",\"password\":\"pw-").append(marker).append("\"}}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A vault of two items; item-0 carries {@code attachments} attachments of a few KiB each. */
    static FetchedVault vault(String accountId, String marker, int attachments) {
        List<AttachmentSource> files = new java.util.ArrayList<>();
        for (int i = 0; i < attachments; i++) {
            byte[] bytes = new byte[4096 + i];
            new Random(marker.hashCode() * 31L + i).nextBytes(bytes);
            files.add(new AttachmentSource(accountId, "item-0", "item-0", "att-" + marker + "-" + i, "file-" + i + ".bin",
                    (long) bytes.length, () -> new ByteArrayInputStream(bytes)));
        }
        return new FetchedVault(vaultJson(2, marker), 2, true, files, 0);
    }

    /** Waits (bounded) until the condition holds. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static List<AccountEvent> journal(PersistenceTestKit journal, String persistenceId) {
        return journal.persistedInStorage(persistenceId).stream().map(AccountEvent.class::cast).toList();
    }

    /** Waits until the journal holds an event matching {@code which}; returns the journal then. */
    static List<AccountEvent> awaitEvent(PersistenceTestKit journal, String persistenceId, Duration within,
                                         Predicate<AccountEvent> which) {
        Supplier<List<AccountEvent>> events = () -> journal(journal, persistenceId);
        await("an event in " + persistenceId + "'s journal", within, () -> events.get().stream().anyMatch(which));
        return events.get();
    }

    /** The newest commit in a journal. */
    static AccountEvent.IndexCommitted lastCommit(List<AccountEvent> events) {
        return events.stream().filter(AccountEvent.IndexCommitted.class::isInstance).map(AccountEvent.IndexCommitted.class::cast)
                .reduce((first, second) -> second).orElseThrow();
    }

    static List<Class<?>> kinds(List<AccountEvent> events) {
        return events.stream().<Class<?>>map(Object::getClass).toList();
    }
}
