package io.vaultkeep.engine.registration;

import com.typesafe.config.Config;

/**
 * Whether accounts registered through one node are known to every node ({@code
 * vaultkeep.engine.registered-accounts}; pure). {@code auto} replicates only when the journal is a
 * shared PostgreSQL database, the one journal several nodes can share: a node on its own (the
 * embedded H2 default) starts no Distributed Data at all.
 */
public enum RegistrationScope {
    /** Registrations stay on the node they were made on. */
    NODE,
    /** The set of registered account ids is replicated to every node. */
    CLUSTER;

    public static final String SETTING = "vaultkeep.engine.registered-accounts";

    public static RegistrationScope of(Config config) {
        String setting = config.hasPath(SETTING) ? config.getString(SETTING) : "auto";
        return switch (setting) {
            case "node" -> NODE;
            case "cluster" -> CLUSTER;
            case "auto" -> sharedJournal(config) ? CLUSTER : NODE;
            default -> throw new IllegalArgumentException(SETTING + " must be auto, node or cluster, not \"" + setting + "\"");
        };
    }

    private static boolean sharedJournal(Config config) {
        String url = "pekko-persistence-jdbc.shared-databases.slick.db.url";
        return config.hasPath("pekko.persistence.journal.plugin")
                && "jdbc-journal".equals(config.getString("pekko.persistence.journal.plugin"))
                && config.hasPath(url) && config.getString(url).startsWith("jdbc:postgresql:");
    }
}
