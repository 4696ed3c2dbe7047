package io.vaultkeep.engine.account;

import java.util.Optional;

/**
 * Where an account's settings come from on the node its entity runs on (pure): an account no longer
 * registered anywhere in the cluster has none, whatever this node still holds; otherwise the settings
 * registered on this node, else what the embedder's {@link SettingsResolver} builds here, else none.
 */
public sealed interface SettingsLookup {

    /** The settings, when this node has them. */
    Optional<AccountSettings> settings();

    /** Why there are none, for a log line (never a secret); empty when found. */
    Optional<String> missingBecause();

    enum Origin {
        /** {@code register} was called on this node. */
        REGISTERED_HERE,
        /** The embedder's resolver built them on this node. */
        RESOLVED_HERE
    }

    enum Reason {
        /** Not (or no longer) registered through any node this node has heard from. */
        NOT_REGISTERED("it is not registered (or this node has not heard of its registration yet), or it was removed"),
        /** Registered through another node; this one has neither a registration nor a resolver. */
        NO_RESOLVER("it was registered through another node, and this node has neither a registration of it "
                + "nor a settings resolver (VaultKeepEngine.resolveSettingsWith)"),
        /** The resolver answered empty. */
        RESOLVER_HAS_NONE("this node's settings resolver has no settings for it"),
        /** The resolver threw, or answered for another account. */
        RESOLVER_FAILED("this node's settings resolver failed");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    record Found(AccountSettings found, Origin origin) implements SettingsLookup {
        @Override
        public Optional<AccountSettings> settings() {
            return Optional.of(found);
        }

        @Override
        public Optional<String> missingBecause() {
            return Optional.empty();
        }
    }

    /** @param detail what went wrong in the resolver (an exception's class, never its message), or "" */
    record Missing(Reason reason, String detail) implements SettingsLookup {
        @Override
        public Optional<AccountSettings> settings() {
            return Optional.empty();
        }

        @Override
        public Optional<String> missingBecause() {
            return Optional.of(detail.isEmpty() ? reason.text() : reason.text() + " (" + detail + ")");
        }
    }

    /**
     * @param registered whether the account is registered in the cluster as this node knows it
     * @param here the settings registered on this node
     * @param resolverOrNull the embedder's resolver on this node, if any; called only when needed
     */
    static SettingsLookup decide(String accountId, boolean registered, Optional<AccountSettings> here,
                                 SettingsResolver resolverOrNull) {
        if (!registered) {
            return new Missing(Reason.NOT_REGISTERED, "");
        }
        if (here.isPresent()) {
            return new Found(here.get(), Origin.REGISTERED_HERE);
        }
        if (resolverOrNull == null) {
            return new Missing(Reason.NO_RESOLVER, "");
        }
        Optional<AccountSettings> resolved;
        try {
            resolved = resolverOrNull.settingsFor(accountId);
        } catch (RuntimeException e) {
            // the class only: a resolver's message may quote its store's secrets
            return new Missing(Reason.RESOLVER_FAILED, "threw " + e.getClass().getName());
        }
        if (resolved == null || resolved.isEmpty()) {
            return new Missing(Reason.RESOLVER_HAS_NONE, "");
        }
        if (!resolved.get().accountId().equals(accountId)) {
            return new Missing(Reason.RESOLVER_FAILED, "it answered with the settings of account " + resolved.get().accountId());
        }
        return new Found(resolved.get(), Origin.RESOLVED_HERE);
    }
}
