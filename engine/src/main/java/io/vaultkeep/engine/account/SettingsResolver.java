package io.vaultkeep.engine.account;

import java.util.Optional;

/**
 * The embedding service's way to build an account's settings on the node where sharding runs its
 * entity, when the account was registered through another node (settings hold live objects and the
 * backup password: they never travel between nodes or into the journal). Called on an actor's
 * thread when the entity starts or reloads, so it should answer promptly; empty means the service
 * has no settings for the account (the entity waits, see {@link SettingsWait}).
 */
@FunctionalInterface
public interface SettingsResolver {
    Optional<AccountSettings> settingsFor(String accountId);
}
