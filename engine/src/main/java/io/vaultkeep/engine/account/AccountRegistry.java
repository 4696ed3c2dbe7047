package io.vaultkeep.engine.account;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The accounts this node serves and their settings, by account id: the entity's only way to its
 * secrets and its location, since neither is journaled. Thread-safe.
 */
public final class AccountRegistry {

    private final ConcurrentMap<String, AccountSettings> accounts = new ConcurrentHashMap<>();

    public Optional<AccountSettings> settings(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    /** @return the settings this replaced, if any */
    public Optional<AccountSettings> put(AccountSettings settings) {
        return Optional.ofNullable(accounts.put(settings.accountId(), settings));
    }

    public Optional<AccountSettings> remove(String accountId) {
        return Optional.ofNullable(accounts.remove(accountId));
    }

    public List<String> accountIds() {
        return accounts.keySet().stream().sorted().toList();
    }

    /** Forgets every account and overwrites the passwords it held (the engine is closing). */
    public void clearAndWipe() {
        for (String id : accountIds()) {
            AccountSettings removed = accounts.remove(id);
            if (removed != null) {
                removed.wipePassword();
            }
        }
    }
}
