package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.repository.BackupRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", header = "Create a new, empty repository (encrypted unless --no-password).",
        description = "Runs the location test first, and refuses a location that already holds a repository.")
final class InitCommand extends RepositoryCommand {

    @Option(names = "--json", description = "Print {\"repositoryId\", \"encrypted\", \"location\"} as JSON.")
    boolean json;

    /** The {@code --json} document. */
    record Created(String repositoryId, boolean encrypted, String location) {}

    @Override
    public Integer call() throws Exception {
        return location.withStore(store -> {
            LocationCheck.requireHealthy(store);
            try (BackupRepository repository = password.create(store)) {
                if (json) {
                    printJson(new Created(repository.metadata().repoId(), repository.encrypted(), store.describe()));
                } else {
                    out().printf("created %s repository %s at %s%n", repository.encrypted() ? "an encrypted" : "a plain",
                            repository.metadata().repoId(), store.describe());
                }
            }
            return 0;
        });
    }
}
