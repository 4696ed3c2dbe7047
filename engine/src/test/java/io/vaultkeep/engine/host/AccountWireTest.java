package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.engine.account.AccountPhase;
import io.vaultkeep.engine.account.AccountEntityStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status endpoint's view of an account's phase. */
class AccountWireTest {

    @Test
    void everyPhaseShowsAsTheActivityOfItsNameAndItsWireNameReadsBack() {
        for (AccountPhase phase : AccountPhase.values()) {
            AccountStatus wire = VaultKeepHost.toWire(new AccountEntityStatus("alice", phase, null, null, null, 0, null,
                    null, null, null, List.of(), null), HealthRule.Judgement.OK, null);
            assertEquals(phase.name(), wire.state().name());
            assertEquals(wire.state(), AccountActivity.fromWireName(wire.state().wireName()));
        }
        assertEquals("waiting-for-settings", AccountActivity.WAITING_FOR_SETTINGS.wireName());
    }
}
