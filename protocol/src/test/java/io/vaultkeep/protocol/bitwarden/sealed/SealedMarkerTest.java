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
    void aMarkerSpelledOtherwiseThanInPlainAsciiIsStillFound() {
        byte[][] documents = {
            "{\"items\": [], \"vaultkeep\\u0053ealed\": 1}".getBytes(StandardCharsets.UTF_8), // an escape in the name
            "{\"vaultkeepSealed\": 1}".getBytes(StandardCharsets.UTF_16BE),                        // UTF-16, no byte order mark
            "\uFEFF{\"vaultkeepSealed\": 1}".getBytes(StandardCharsets.UTF_16LE),                // UTF-16 with one
            "\uFEFF{\"items\": [], \"vaultkeepSealed\": 1}".getBytes(StandardCharsets.UTF_8),   // UTF-8 with one
            {'{', '"', (byte) 0xC1, (byte) 0xB6, 'a', 'u', 'l', 't', 'k', 'e', 'e', 'p', 'S', 'e', 'a', 'l', 'e', 'd', '"', ':', '1', '}'},
            {'{', '"', 'x', '"', ':', '"', (byte) 0xF0, (byte) 0x9F, (byte) 0x94, (byte) 0x92, '"', '}'},  // an emoji: plain UTF-8
        };
        for (byte[] document : documents) {
            assertEquals(treeRule(document), SealedVault.isSealed(document), new String(document, StandardCharsets.ISO_8859_1));
        }
        assertTrue(SealedVault.isSealed(documents[0]));
        assertTrue(SealedVault.isSealed(documents[1]));
        assertTrue(SealedVault.isSealed(documents[3]));
        assertFalse(SealedVault.certainlyWithout(documents[0], "vaultkeepSealed".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(SealedVault.certainlyWithout(documents[4], "vaultkeepSealed".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(SealedVault.certainlyWithout(documents[5], "vaultkeepSealed".getBytes(StandardCharsets.US_ASCII)),
                "a well-formed multi-byte character is no reason to read tokens");
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
