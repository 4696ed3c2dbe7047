package io.vaultkeep.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.Test;

class DownedNodeFenceTest {

    @Test
    void aNodeStopsWhenDownedOrItsEngineStoppedButNotWhileLeavingOrToldToStop() {
        for (MemberStatus running : List.of(MemberStatus.joining(), MemberStatus.weaklyUp(), MemberStatus.up(),
                MemberStatus.leaving(), MemberStatus.exiting())) {
            assertEquals(false, DownedNodeFence.mustStop(running, false, false), running + " goes on");
            assertEquals(true, DownedNodeFence.mustStop(running, true, false), running + " with its engine stopped stops");
        }
        assertEquals(true, DownedNodeFence.mustStop(MemberStatus.down(), false, false), "downed: stops at once");
        assertEquals(true, DownedNodeFence.mustStop(MemberStatus.removed(), false, false), "removed: stops at once");
        assertEquals(false, DownedNodeFence.mustStop(MemberStatus.down(), true, true), "told to stop: the shutdown hook does it");
    }
}
