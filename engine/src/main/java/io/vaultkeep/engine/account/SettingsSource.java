package io.vaultkeep.engine.account;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * An entity's way to its account's settings on this node (see {@link SettingsLookup}): this node's
 * {@link AccountRegistry}, which accounts are registered (this node's registry on a node of its own,
 * the replicated set of account ids in a cluster), and the embedder's resolver if one was given.
 * Thread-safe.
 */
public final class SettingsSource {

    private final AccountRegistry registry;
    private final Predicate<String> registered;
    private volatile SettingsResolver resolver;

    public SettingsSource(AccountRegistry registry, Predicate<String> registered) {
        this.registry = registry;
        this.registered = registered;
    }

    /** A node on its own: an account is registered when this node's registry has it. */
    public static SettingsSource local(AccountRegistry registry) {
        return new SettingsSource(registry, id -> registry.settings(id).isPresent());
    }

    /** @param resolverOrNull consulted for accounts registered but not on this node; null: none */
    public void resolveWith(SettingsResolver resolverOrNull) {
        this.resolver = resolverOrNull;
    }

    public boolean hasResolver() {
        return resolver != null;
    }

    public SettingsLookup lookup(String accountId) {
        return SettingsLookup.decide(accountId, registered.test(accountId), registry.settings(accountId), resolver);
    }

    public Optional<AccountSettings> settings(String accountId) {
        return lookup(accountId).settings();
    }
}
