package io.vaultkeep.engine.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One node's view of the accounts registered in the cluster, and when a node replicates it at all. */
class RegisteredIdsViewTest {

    @Test
    void aRegistrationHereIsSeenAtOnceAndNotUndoneByANoticeOlderThanIt() {
        RegisteredIdsView view = new RegisteredIdsView();
        long n = view.registeredHere("a");
        assertEquals(List.of("a"), view.ids());
        assertTrue(view.replicated(Set.of()).isEmpty(), "the replicator has not taken it yet");
        assertTrue(view.contains("a"));
        view.settled("a", n);
        assertTrue(view.replicated(Set.of("a")).isEmpty(), "no change: this node already knew");
        assertEquals(new RegisteredIdsView.Change(List.of(), List.of("a")), view.replicated(Set.of()),
                "once settled, a removal through another node counts");
    }

    @Test
    void registrationsAndRemovalsThroughOtherNodesAreReportedOnce() {
        RegisteredIdsView view = new RegisteredIdsView();
        assertEquals(new RegisteredIdsView.Change(List.of("a", "b"), List.of()), view.replicated(Set.of("b", "a")));
        assertTrue(view.replicated(Set.of("a", "b")).isEmpty());
        assertEquals(new RegisteredIdsView.Change(List.of("c"), List.of("a")), view.replicated(Set.of("b", "c")));
        assertEquals(List.of("b", "c"), view.ids());
    }

    @Test
    void aRemovalHereHoldsAgainstOlderNoticesAndIsNotReportedAgain() {
        RegisteredIdsView view = new RegisteredIdsView();
        view.replicated(Set.of("a", "b"));
        long n = view.removedHere("a");
        assertFalse(view.contains("a"));
        assertTrue(view.replicated(Set.of("a", "b")).isEmpty(), "a notice from before the removal does not bring it back");
        view.settled("a", n);
        assertTrue(view.replicated(Set.of("b")).isEmpty(), "this node removed it itself: nothing to report");
        assertEquals(List.of("b"), view.ids());
    }

    @Test
    void onlyTheLatestChangeHereOfAnAccountSettlesIt() {
        RegisteredIdsView view = new RegisteredIdsView();
        view.replicated(Set.of("a"));
        long removal = view.removedHere("a");
        long registration = view.registeredHere("a");
        view.settled("a", removal); // the removal is in the replica, the new registration not yet
        assertTrue(view.replicated(Set.of()).isEmpty(), "the registration made after the removal stands");
        assertTrue(view.contains("a"));
        view.settled("a", registration);
        assertTrue(view.replicated(Set.of("a")).isEmpty());
        assertTrue(view.contains("a"));
    }

    @Test
    void onlyANodeOnASharedPostgresJournalReplicatesUnlessToldOtherwise() {
        var h2 = ConfigFactory.parseMap(Map.of("pekko.persistence.journal.plugin", "jdbc-journal",
                "pekko-persistence-jdbc.shared-databases.slick.db.url", "jdbc:h2:file:/tmp/x/journal"));
        var postgres = ConfigFactory.parseMap(Map.of("pekko.persistence.journal.plugin", "jdbc-journal",
                "pekko-persistence-jdbc.shared-databases.slick.db.url", "jdbc:postgresql://db/vaultkeep"));
        assertEquals(RegistrationScope.NODE, RegistrationScope.of(h2));
        assertEquals(RegistrationScope.NODE, RegistrationScope.of(ConfigFactory.empty()));
        assertEquals(RegistrationScope.CLUSTER, RegistrationScope.of(postgres));
        assertEquals(RegistrationScope.NODE, RegistrationScope.of(ConfigFactory.parseMap(
                Map.of(RegistrationScope.SETTING, "node")).withFallback(postgres)));
        assertEquals(RegistrationScope.CLUSTER, RegistrationScope.of(ConfigFactory.parseMap(
                Map.of(RegistrationScope.SETTING, "cluster")).withFallback(h2)));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> RegistrationScope.of(
                ConfigFactory.parseMap(Map.of(RegistrationScope.SETTING, "everywhere"))));
        assertTrue(wrong.getMessage().contains("everywhere"), wrong.getMessage());
    }
}
