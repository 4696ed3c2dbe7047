package io.vaultkeep.engine.cli;

import io.vaultkeep.protocol.bitwarden.BitwardenJson;
import io.vaultkeep.protocol.bitwarden.RedactedItem;
import io.vaultkeep.protocol.bitwarden.VaultSelection;
import io.vaultkeep.protocol.bitwarden.sealed.SealedVault;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dump", header = "Print one item of a snapshot as JSON.", description = {
        "The item as the snapshot holds it, every field, known or not. Its secrets (every value but its id,",
        "name, folder, organization, collections, dates and attachment names) show as *** unless --show-secrets."})
final class DumpCommand extends RepositoryCommand {

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "The snapshot: an id, a unique prefix of one, or latest.")
    String snapshot;

    @Parameters(index = "1", paramLabel = "ITEM", description = "The item: its id, or its name when no other item has it.")
    String item;

    @Option(names = "--show-secrets", description = "Print the item's values as stored: passwords, notes, TOTP seeds.")
    boolean showSecrets;

    @picocli.CommandLine.Mixin
    MasterPasswordOptions masterPassword;

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open(); BackupRepository repository = password.open(store)) {
            Map.Entry<String, SnapshotEntry> entry = SnapshotRestore.find(repository.readIndex().catalogue(), snapshot);
            SealedVault.Opened sealed = RestoreCommand.openIfSealed(repository, entry.getValue(),
                    masterPassword.option(), CommandLineRoot.of(spec), err());
            var found = VaultSelection.oneItem(RestoreCommand.plainVault(repository, entry.getValue(), sealed), item);
            out().println(new String(BitwardenJson.writeTree(showSecrets ? found : RedactedItem.of(found)), StandardCharsets.UTF_8));
            out().flush();
        }
        return 0;
    }
}
