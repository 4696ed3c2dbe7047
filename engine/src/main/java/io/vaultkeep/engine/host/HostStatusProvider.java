package io.vaultkeep.engine.host;

import io.vaultkeep.engine.cluster.ClusterMember;
import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.host.page.RepositoryView;
import java.io.IOException;
import java.time.Instant;

import java.util.List;
import java.util.Optional;

/**
 * What the status endpoint asks the running host. Called on the endpoint's own threads, at most a
 * couple at a time: answer from state already at hand (e.g. a snapshot the actors keep current)
 * rather than asking every account's actor and waiting.
 */
public interface HostStatusProvider {

    /** Every account the host runs, in a stable order (e.g. by id). */
    List<AccountStatus> accounts();

    Optional<AccountStatus> account(String id);

    /**
     * Asks for a run of {@code id} now, bypassing the debounce window; returns at once.
     *
     * @return false when the host has no such account
     */
    boolean requestBackupNow(String id);

    Health health();

    /**
     * Re-reads the host's config file and applies what changed to its accounts (see
     * {@link VaultKeepHost#reload()}).
     *
     * @throws ConfigException the file is broken: nothing changed
     */
    ConfigChanges reload() throws ConfigException;

    /** The cluster's members, for a node of a cluster of several; empty for a host that runs alone. */
    default List<ClusterMember> members() {
        return List.of();
    }

    /** The Prometheus exposition ({@link HostMetrics#CONTENT_TYPE}), or empty when this host keeps no metrics. */
    default Optional<String> metrics() {
        return Optional.empty();
    }

    /**
     * Reads the account's repository index for the status pages, as of {@code now}. Blocking (a
     * location may be slow); the pages call it on threads of their own, with a timeout.
     *
     * @return empty when the host has no such account (or reads no repositories)
     */
    default Optional<RepositoryView> repository(String id, Instant now) throws IOException {
        return Optional.empty();
    }
}
