package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.engine.account.RunPermits.PermitCounts;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChildActorsTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(AccountBackupTest.CONFIG).build();

    private PermitCounts counts(ActorRef<RunPermits.Command> permits) {
        TestProbe<PermitCounts> probe = testKit.createTestProbe();
        permits.tell(new RunPermits.GetPermitCounts(probe.getRef()));
        return probe.receiveMessage();
    }

    @Test
    void runPermitsBoundConcurrencyAndHandOverInOrder() {
        ActorRef<RunPermits.Command> permits = testKit.spawn(RunPermits.create(2));
        TestProbe<AccountCommand> a = testKit.createTestProbe();
        TestProbe<AccountCommand> b = testKit.createTestProbe();
        TestProbe<AccountCommand> c = testKit.createTestProbe();
        TestProbe<AccountCommand> d = testKit.createTestProbe();
        for (TestProbe<AccountCommand> p : java.util.List.of(a, b, c, d)) {
            permits.tell(new RunPermits.Acquire("x", p.getRef()));
        }
        a.expectMessageClass(AccountCommand.PermitGranted.class);
        b.expectMessageClass(AccountCommand.PermitGranted.class);
        c.expectNoMessage(Duration.ofMillis(100));
        assertEquals(new PermitCounts(2, 2, 2), counts(permits));

        permits.tell(new RunPermits.Acquire("x", c.getRef()));
        assertEquals(new PermitCounts(2, 2, 2), counts(permits), "asking twice does not queue twice");
        permits.tell(new RunPermits.Acquire("x", a.getRef()));
        a.expectMessageClass(AccountCommand.PermitGranted.class); // a holder's reminder: told again what it has
        assertEquals(new PermitCounts(2, 2, 2), counts(permits), "a holder asking again takes no second permit");

        permits.tell(new RunPermits.Release("x", a.getRef()));
        c.expectMessageClass(AccountCommand.PermitGranted.class);
        d.expectNoMessage(Duration.ofMillis(100));
        permits.tell(new RunPermits.Release("x", a.getRef()));
        assertEquals(new PermitCounts(2, 2, 1), counts(permits), "a second release of the same permit frees nothing");
    }

    @Test
    void aHolderThatStopsGivesItsPermitBack() {
        ActorRef<RunPermits.Command> permits = testKit.spawn(RunPermits.create(1));
        TestProbe<AccountCommand> holder = testKit.createTestProbe();
        TestProbe<AccountCommand> waiter = testKit.createTestProbe();
        permits.tell(new RunPermits.Acquire("h", holder.getRef()));
        holder.expectMessageClass(AccountCommand.PermitGranted.class);
        permits.tell(new RunPermits.Acquire("w", waiter.getRef()));
        waiter.expectNoMessage(Duration.ofMillis(100));

        holder.stop();
        waiter.expectMessageClass(AccountCommand.PermitGranted.class);
        assertEquals(new PermitCounts(1, 1, 0), counts(permits));
    }
}
