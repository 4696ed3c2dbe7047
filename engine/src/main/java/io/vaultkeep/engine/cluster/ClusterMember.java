package io.vaultkeep.engine.cluster;

/**
 * One member of the host's cluster as {@code GET /members} shows it.
 *
 * @param node      {@code host:port} of its cluster port
 * @param status    Pekko's membership status, lower case: joining, weakly-up, up, leaving, exiting, down, removed
 * @param reachable false while this node's failure detector cannot reach it
 * @param self      the node that answered
 */
public record ClusterMember(String node, String status, boolean reachable, boolean self) {}
