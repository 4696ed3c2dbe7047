package io.vaultkeep.engine.cluster;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.config.HostConfig;

/** What a host's {@code vaultkeep.cluster} section makes of its engine's config. */
public final class ClusterEngineConfig {

    private ClusterEngineConfig() {}

    /**
     * The cluster port's keys and transport; for a node of a cluster of several, also its address,
     * seed nodes, the shared PostgreSQL journal, the split brain resolver and remembered entities.
     * Without a {@code cluster} section {@code engine} comes back as it was (the embedded default).
     */
    public static EngineConfig apply(HostConfig.ClusterSettings cluster, EngineConfig engine) {
        EngineConfig result = engine;
        if (cluster.keys().isPresent()) {
            HostConfig.NodeKeys keys = cluster.keys().get();
            result = result.withClusterKeys(keys.keyFile(), keys.certFile(), keys.trustFile());
        }
        if (cluster.insecureTransport()) {
            result = result.withInsecureTransport();
        }
        if (cluster.node().isPresent()) {
            HostConfig.ClusterNode node = cluster.node().get();
            HostConfig.Journal journal = node.journal();
            // the password lives in the actor system's config for its connection pool, nowhere else
            String password = journal.password().map(secret -> new String(secret.copy())).orElse(null);
            result = result.withPostgres(journal.url(), journal.user().orElse(null), password)
                    .withClusterNode(node.hostname(), node.port(), node.seedNodes(),
                            node.downing().strategy(), node.downing().stableAfter());
        }
        return result;
    }
}
