package io.vaultkeep.engine.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/** The cluster's members as the node asked sees them. */
public final class ClusterMembers {

    private ClusterMembers() {}

    public static List<ClusterMember> of(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        ClusterEvent.CurrentClusterState state = cluster.state();
        Set<Member> unreachable = state.getUnreachable();
        Address self = cluster.selfMember().address();
        List<ClusterMember> members = new ArrayList<>();
        for (Member m : state.getMembers()) {
            members.add(new ClusterMember(node(m.address()), status(m), !unreachable.contains(m), m.address().equals(self)));
        }
        members.sort(java.util.Comparator.comparing(ClusterMember::node));
        return members;
    }

    /** {@code host:port}, as statuses name the node an account runs on. */
    public static String node(Address address) {
        return address.host().isDefined() ? address.host().get() + ":" + address.port().get() : address.toString();
    }

    private static String status(Member m) {
        // MemberStatus prints as its class name: WeaklyUp, Up, …
        return m.status().toString().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
