package io.vaultkeep.engine.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a cluster node's config names the nodes it joins. */
public final class ClusterNodes {

    /** The actor system's name on every node: a seed node of another name belongs to another cluster. */
    public static final String SYSTEM_NAME = "vaultkeep";

    /** The keys of {@code vaultkeep.cluster} that only a node of a cluster of several takes. */
    static final List<String> KEYS = List.of("hostname", "port", "seed-nodes", "journal", "split-brain-resolver");

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");
    private static final Pattern PEKKO_ADDRESS = Pattern.compile("pekko://([^@/]+)@(.+)");

    private ClusterNodes() {}

    /**
     * A seed node as Pekko's {@code seed-nodes} takes it, from {@code host:port} or a full
     * {@code pekko://vaultkeep@host:port} address.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String seedAddress(String given) {
        String hostPort = given.trim();
        Matcher full = PEKKO_ADDRESS.matcher(hostPort);
        if (full.matches()) {
            if (!full.group(1).equals(SYSTEM_NAME)) {
                throw new IllegalArgumentException("'" + given + "' is a node of the cluster named '" + full.group(1)
                        + "'; VaultKeep's nodes form the cluster '" + SYSTEM_NAME + "' (give host:port)");
            }
            hostPort = full.group(2);
        } else if (hostPort.contains("://")) {
            throw new IllegalArgumentException("'" + given + "' is not a cluster node's address: give host:port "
                    + "(or pekko://" + SYSTEM_NAME + "@host:port)");
        }
        Matcher m = HOST_PORT.matcher(hostPort);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + given + "' is not host:port (such as 10.0.0.5:25520)");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + given + "': the port must be between 1 and 65535");
        }
        return "pekko://" + SYSTEM_NAME + "@" + m.group(1) + ":" + port;
    }
}
