package io.vaultkeep.engine.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.repository.FetchedVault;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PushVaultSourceTest {

    private static FetchedVault vault(byte[] json) {
        return new FetchedVault(json, 10, false, List.of(), 2, List.of("an attachment could not be read"));
    }

    private static byte[] tenItems() {
        StringBuilder json = new StringBuilder("{\"encrypted\":false,\"folders\":[],\"items\":[");
        for (int i = 0; i < 10; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i}))
                    .append("\",\"type\":1,\"name\":\"item ").append(i)
                    .append("\",\"login\":{\"username\":\"user").append(i).append("@example.com\",\"password\":\"p").append(i * 7919)
                    .append("\",\"uris\":[{\"match\":null,\"uri\":\"https://example.com/").append(i).append("\"}]},\"notes\":null,\"favorite\":false}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theVaultFetchedIsTheVaultPushedByteForByteWithItsCountsAndWarnings() throws Exception {
        PushVaultSource source = new PushVaultSource();
        byte[] json = tenItems();

        String revision = source.push(vault(json.clone()));
        FetchedVault fetched = source.create(null).fetch();

        assertArrayEquals(json, fetched.vaultJson());
        assertEquals(10, fetched.cipherCount());
        assertEquals(2, fetched.unavailableAttachmentCount());
        assertEquals(List.of("an attachment could not be read"), fetched.warnings());
        assertEquals(revision, source.push(vault(json.clone())), "the same vault has the same revision");
    }

    @Test
    void aWaitingVaultIsKeptDeflated() {
        PushVaultSource source = new PushVaultSource();
        byte[] json = tenItems();

        source.push(vault(json));

        assertTrue(source.keptJsonBytes() * 2 < json.length, source.keptJsonBytes() + " bytes kept of " + json.length);
    }

    @Test
    void dataThatDoesNotShrinkAndAnEmptyVaultComeBackWhole() throws Exception {
        PushVaultSource source = new PushVaultSource();
        byte[] noise = new byte[300_000];
        new Random(17).nextBytes(noise);

        source.push(vault(noise.clone()));
        assertArrayEquals(noise, source.create(null).fetch().vaultJson());

        source.push(vault(new byte[0]));
        assertArrayEquals(new byte[0], source.create(null).fetch().vaultJson());
    }

    @Test
    void nothingPushedYetIsAClearError() {
        VaultSourceException e = assertThrows(VaultSourceException.class, () -> new PushVaultSource().create(null).fetch());

        assertEquals("no vault has been pushed for this account yet", e.getMessage());
    }
}
