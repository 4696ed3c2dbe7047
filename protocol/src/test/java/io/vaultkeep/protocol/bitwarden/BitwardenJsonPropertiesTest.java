package io.vaultkeep.protocol.bitwarden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BitwardenJsonPropertiesTest {

    @Provide
    Arbitrary<ObjectNode> exports() {
        return TestVaults.exportTrees();
    }

    @Provide
    Arbitrary<VaultExport> csvShapedVaults() {
        return TestVaults.csvVault(true);
    }

    /** Any export, whatever types and keys it holds, reads and writes back to the same tree. */
    @Property(tries = 300)
    void readThenWriteKeepsTheTree(@ForAll("exports") ObjectNode export) throws Exception {
        byte[] json = export.toString().getBytes(StandardCharsets.UTF_8);

        VaultExport read = BitwardenJson.read(json);
        JsonNode written = TestVaults.tree(BitwardenJson.write(read));

        assertEquals(TestVaults.tree(json), written);
        assertEquals(read, BitwardenJson.read(BitwardenJson.write(read)));
    }

    /** A vault built through the record API writes and reads back as an equal vault. */
    @Property(tries = 200)
    void builtVaultsWriteThenReadAsEqual(@ForAll("csvShapedVaults") VaultExport vault) throws Exception {
        assertEquals(vault, BitwardenJson.read(BitwardenJson.write(vault)));
    }
}
