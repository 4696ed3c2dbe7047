package io.vaultkeep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.vaultkeep.engine.config.HostConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pekko settings of a node of a cluster with the documented defaults (README "Cluster"). */
class EngineConfigClusterTest {

    private static EngineConfig node(Path dir) {
        HostConfig.Downing downing = HostConfig.Downing.DEFAULT;
        return EngineConfig.embedded(dir).withPostgres("jdbc:postgresql://db/vaultkeep", "vaultkeep", null)
                .withClusterNode("127.0.0.1", 25520, List.of("pekko://vaultkeep@127.0.0.1:25520"),
                        downing.strategy(), downing.stableAfter());
    }

    @Test
    void aHandOverCaughtByAKillEndsBeforeTheKilledNodesRegionIsRemoved(@TempDir Path dir) {
        Config config = node(dir).pekkoConfig();
        Duration handOff = config.getDuration("pekko.cluster.sharding.handoff-timeout");
        // a killed node's region is removed no sooner than: suspected (the heartbeat pause), downed
        // after stable-after, then stable-after again as the removal margin (down-removal-margin off)
        assertEquals("off", config.getString("pekko.cluster.down-removal-margin"));
        Duration removal = config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause")
                .plus(config.getDuration("pekko.cluster.split-brain-resolver.stable-after").multipliedBy(2));
        assertTrue(handOff.compareTo(removal) < 0,
                "a hand-over hung on the killed node (" + handOff + ") must not outlast its removal (" + removal + ")");
        // the old home stops a shard's entities forcefully after handoff-timeout - 5 s: they get that long on Passivate
        assertTrue(handOff.minusSeconds(5).compareTo(Duration.ofSeconds(5)) >= 0, handOff.toString());
    }

    @Test
    void theConfigFilesPekkoBlockStillSetsTheHandOffTimeout(@TempDir Path dir) {
        Config config = node(dir).withOverrides(ConfigFactory.parseString("pekko.cluster.sharding.handoff-timeout = 30s"))
                .pekkoConfig();
        assertEquals(Duration.ofSeconds(30), config.getDuration("pekko.cluster.sharding.handoff-timeout"));
    }
}
