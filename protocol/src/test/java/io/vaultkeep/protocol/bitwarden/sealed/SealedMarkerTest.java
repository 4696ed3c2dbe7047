package io.vaultkeep.protocol.bitwarden.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link SealedVault#isSealed} reads a plain vault's top-level keys token by token: its answer is
 * still the tree rule's (the first JSON value is an object with the marker key, parsed whole).
 */
class SealedMarkerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAnswerIsTheTreeRulesForPlainSealedAndOddDocuments() {
        String[] documents = {
            "{\"encrypted\": false, \"items\": [{\"vaultkeepSealed\": 1}]}", // the key only deeper down
            "{\"items\": [], \"vaultkeepSealed\": 1}",
            "{\"vaultkeepSealed\": null}",
            "{\"a\": {\"b\": [1, 2, {\"c\": \"vaultkeepSealed\"}]}, \"vaultkeepSealed\": 1} trailing text",
            "{\"vaultkeepSealed\": 1, \"items\": [",                         // marker first, then cut off
            "{\"items\": [1, 2, ",                                          // cut off, no marker
            "[{\"vaultkeepSealed\": 1}]",                                   // not an object
            "\"vaultkeepSealed\"",
            "",
            "not json",
        };
        for (String document : documents) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            assertEquals(treeRule(bytes), SealedVault.isSealed(bytes), document);
        }
        assertTrue(SealedVault.isSealed(documents[1].getBytes(StandardCharsets.UTF_8)));
        assertFalse(SealedVault.isSealed(documents[0].getBytes(StandardCharsets.UTF_8)));
        assertFalse(SealedVault.isSealed(documents[4].getBytes(StandardCharsets.UTF_8)), "a cut-off document is not sealed");
    }

    @Test
    void topLevelKeysAreFoundAfterNestedValuesAndNotInsideThem() {
        assertTrue(SealedVault.hasTopLevelKey("{\"x\": {\"k\": 1}, \"k\": 2}".getBytes(StandardCharsets.UTF_8), "k"));
        assertFalse(SealedVault.hasTopLevelKey("{\"x\": {\"k\": 1}, \"y\": [\"k\"]}".getBytes(StandardCharsets.UTF_8), "k"));
        assertFalse(SealedVault.hasTopLevelKey("{\"x\": {\"k\": ".getBytes(StandardCharsets.UTF_8), "k"));
    }

    /** The rule isSealed kept before it read tokens: the tree of the first value has the marker. */
    private static boolean treeRule(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node != null && node.has(SealedVault.MARKER);
        } catch (IOException e) {
            return false;
        }
    }
}
