package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.source.PushVaultSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where an entity's settings come from on the node it runs on. */
class SettingsLookupTest {

    private static AccountSettings settings(String id) {
        return new AccountSettings(id, () -> {
            throw new java.io.IOException("not opened in this test");
        }, "backup-pw".toCharArray(), 0, true, new PushVaultSource());
    }

    @Test
    void settingsRegisteredOnThisNodeComeFirstAndTheResolverIsNotAsked() {
        AccountSettings here = settings("alice");
        AtomicInteger asked = new AtomicInteger();
        SettingsLookup lookup = SettingsLookup.decide("alice", true, Optional.of(here), id -> {
            asked.incrementAndGet();
            return Optional.of(settings(id));
        });
        assertEquals(new SettingsLookup.Found(here, SettingsLookup.Origin.REGISTERED_HERE), lookup);
        assertEquals(0, asked.get());
    }

    @Test
    void anAccountRegisteredThroughAnotherNodeIsBuiltHereByTheResolver() {
        AccountSettings built = settings("bob");
        SettingsLookup lookup = SettingsLookup.decide("bob", true, Optional.empty(), id -> Optional.of(built));
        assertSame(built, lookup.settings().orElseThrow());
        assertEquals(SettingsLookup.Origin.RESOLVED_HERE, ((SettingsLookup.Found) lookup).origin());
        assertTrue(lookup.missingBecause().isEmpty());
    }

    @Test
    void aRemovedAccountHasNoSettingsEvenWhereTheyAreStillRegisteredOrResolvable() {
        SettingsLookup lookup = SettingsLookup.decide("carol", false, Optional.of(settings("carol")),
                id -> Optional.of(settings(id)));
        assertEquals(new SettingsLookup.Missing(SettingsLookup.Reason.NOT_REGISTERED, ""), lookup);
        assertTrue(lookup.missingBecause().orElseThrow().contains("it was removed"), lookup.missingBecause().get());
    }

    @Test
    void withoutAResolverTheMissingSettingsSayWhatThisNodeLacks() {
        SettingsLookup lookup = SettingsLookup.decide("dave", true, Optional.empty(), null);
        assertEquals(SettingsLookup.Reason.NO_RESOLVER, ((SettingsLookup.Missing) lookup).reason());
        assertTrue(lookup.missingBecause().orElseThrow().contains("resolveSettingsWith"), lookup.missingBecause().get());
    }

    @Test
    void aResolverThatHasNoneOrAnswersForAnotherAccountGivesNoSettings() {
        assertEquals(SettingsLookup.Reason.RESOLVER_HAS_NONE, ((SettingsLookup.Missing) SettingsLookup.decide("erin", true,
                Optional.empty(), id -> Optional.empty())).reason());
        SettingsLookup wrong = SettingsLookup.decide("erin", true, Optional.empty(), id -> Optional.of(settings("frank")));
        assertEquals(SettingsLookup.Reason.RESOLVER_FAILED, ((SettingsLookup.Missing) wrong).reason());
        assertTrue(wrong.missingBecause().orElseThrow().contains("frank"));
    }

    @Test
    void aResolverThatThrowsIsReportedByItsClassNeverItsMessage() {
        SettingsLookup lookup = SettingsLookup.decide("gina", true, Optional.empty(), id -> {
            throw new IllegalStateException("vault db password hunter2 refused");
        });
        String why = lookup.missingBecause().orElseThrow();
        assertEquals(SettingsLookup.Reason.RESOLVER_FAILED, ((SettingsLookup.Missing) lookup).reason());
        assertTrue(why.contains(IllegalStateException.class.getName()), why);
        assertFalse(why.contains("hunter2"), why);
    }

    @Test
    void onANodeOfItsOwnAnAccountIsRegisteredExactlyWhenItsRegistryHasIt() {
        AccountRegistry registry = new AccountRegistry();
        SettingsSource source = SettingsSource.local(registry);
        source.resolveWith(id -> Optional.of(settings(id)));
        assertEquals(SettingsLookup.Reason.NOT_REGISTERED, ((SettingsLookup.Missing) source.lookup("hank")).reason(),
                "a resolver does not make an account registered");
        AccountSettings hank = settings("hank");
        registry.put(hank);
        assertSame(hank, source.settings("hank").orElseThrow());
    }
}
