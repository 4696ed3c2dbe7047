package io.vaultkeep.protocol.bitwarden;

import static io.vaultkeep.protocol.bitwarden.TestVaults.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The token-by-token outline of a plain export gives the tree reader's answers, and answers nothing
 * (null) for whatever it cannot tell alone, so detection and its messages stay the tree reader's.
 */
class ExportOutlineTest {

    @Test
    void theFixturesOutlineAsTheirTreesCount() throws Exception {
        for (String name : TestVaults.FIXTURES) {
            byte[] json = TestVaults.fixture(name);
            JsonNode tree = BitwardenJson.readTree(json);
            if (tree.path("encrypted").asBoolean(false) || !tree.path("items").isArray()) {
                continue;
            }
            ExportOutline outline = ExportOutline.scan(json);
            assertNotNull(outline, name);
            assertEquals(tree.get("items").size(), outline.items(), name);
            assertEquals(listedAttachments(tree), outline.listedAttachments(), name);
            boolean organization = tree.path("collections").isArray() && !tree.has("folders");
            assertEquals(organization, outline.organization(), name);
            assertEquals(tree.path("folders").isArray() ? tree.get("folders").size() : 0, outline.folders(), name);
            assertEquals(tree.path("collections").isArray() ? tree.get("collections").size() : 0, outline.collections(), name);
        }
        // the fixtures list attachments, or the count above would prove nothing
        assertEquals(2, ExportOutline.scan(TestVaults.fixture("keyguard-snapshot.json")).listedAttachments());
    }

    @Test
    void detectionSaysTheSameWithAndWithoutTheOutline() {
        String json = TestVaults.fixtureText("personal-every-type.json");
        String organization = TestVaults.fixtureText("organization.json");
        // "encrypted" as a string needs the tree's asBoolean: the tree path answers, and must say the same
        String viaTree = json.replaceFirst("\"encrypted\": false", "\"encrypted\": \"false\"");
        assertTrue(!viaTree.equals(json), "the fixture says \"encrypted\": false");
        assertNull(outline(viaTree));
        assertEquals(detect(viaTree), detect(json));
        assertEquals(ExportKind.PLAIN_JSON, detect(organization).kind());
        assertTrue(detect(organization).reason().contains("organization"), detect(organization).reason());
    }

    @Test
    void aRepeatedKeyCountsByItsLastValueAsInTheTree() throws Exception {
        String json = "{\"items\": [{\"id\": \"a\"}], \"folders\": [], \"items\": [{\"id\": \"b\", \"attachments\": [1, 2],"
                + " \"attachments\": [{\"id\": \"x\"}]}, {\"attachments\": null}, {\"attachments\": {\"id\": \"y\"}}]}";
        ExportOutline outline = outline(json);
        JsonNode tree = BitwardenJson.readTree(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(3, tree.get("items").size());
        assertEquals(3, outline.items());
        assertEquals(1, listedAttachments(tree));
        assertEquals(1, outline.listedAttachments());
        assertEquals("an unencrypted json export (personal, 0 folders, 3 items)", detect(json).reason());
    }

    @Test
    void organizationIsACollectionsListWithoutAnyFoldersKey() {
        ExportOutline org = outline("{\"collections\": [{}, {}], \"items\": []}");
        ExportOutline nullFolders = outline("{\"collections\": [{}, {}], \"folders\": null, \"items\": []}");
        assertTrue(org.organization());
        assertEquals(2, org.collections());
        assertFalse(nullFolders.organization(), "a folders key, even null, makes it personal (tree: has(\"folders\"))");
        assertEquals("an unencrypted json export (organization, 2 collections, 0 items)",
                detect("{\"collections\": [{}, {}], \"items\": []}").reason());
    }

    @Test
    void truncatedInputHasNoOutlineAndTheTreeSaysWhereItEnds() {
        String json = TestVaults.fixtureText("organization.json");
        String cut = json.substring(0, json.indexOf("S3CR3T-CI") + 8);
        assertNull(outline(cut));
        Detection truncated = detect(cut);
        assertEquals(ExportKind.UNKNOWN, truncated.kind());
        assertTrue(truncated.reason().contains("ends early at line 17"), truncated.reason());
        assertFalse(truncated.reason().contains(SECRET), truncated.reason());
        ExportFormatException e = assertThrows(ExportFormatException.class,
                () -> BitwardenJson.read(cut.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ExportFormatException.Problem.TRUNCATED, e.problem());
    }

    @Test
    void everyPrefixOfAnExportHasNoOutline() {
        byte[] json = TestVaults.fixture("personal-every-type.json");
        int end = json.length;
        while (end > 0 && Character.isWhitespace(json[end - 1])) {
            end--;
        }
        for (int n = 0; n < end; n++) {
            byte[] prefix = java.util.Arrays.copyOf(json, n);
            assertNull(ExportOutline.scan(prefix), "a prefix of " + n + " bytes");
            if (n % 97 == 0) { // the tree reader's answer on a sample: its exceptions make every prefix slow
                assertEquals(ExportKind.UNKNOWN, BitwardenJson.detect(prefix).kind(), "a prefix of " + n + " bytes");
            }
        }
        assertNotNull(ExportOutline.scan(java.util.Arrays.copyOf(json, end)));
    }

    @Test
    void malformedOrUnusualInputIsLeftToTheTreeReader() {
        String[] inputs = {
            "{\"items\": [] } {\"items\": []}",                 // a second document
            "{\"items\": [], }",                               // a trailing comma
            "{\"items\": [{\"id\": 1}, 2]}",                    // an item that is no object
            "{\"encrypted\": true, \"items\": []}",            // encrypted
            "{\"encrypted\": null, \"items\": []}",            // not false: the tree's asBoolean decides
            "{\"folders\": []}",                               // no items
            "{\"items\": null}",
            "{\"items\": {}}",
            "[{\"items\": []}]",                               // not an object
            "{\"items\": [{\"n\": 1" + "0".repeat(1200) + "}]}", // a number past the parser's length limit
            "{\"items\": [{\"n\": 1." + "0".repeat(1200) + "}]}",
            "",
        };
        for (String input : inputs) {
            assertNull(outline(input), input);
        }
        assertEquals("items[1] is a number, not an item object", detect(inputs[2]).reason());
        assertTrue(detect(inputs[0]).reason().startsWith("not valid JSON at line 1"), detect(inputs[0]).reason());
        assertTrue(detect(inputs[9]).reason().contains("size or nesting limits"), detect(inputs[9]).reason());
        assertEquals(ExportKind.PLAIN_JSON, detect(inputs[4]).kind(), "null reads as not encrypted, as before");
    }

    @Test
    void onlyWhatDetectionWouldReadAsJsonIsOutlined() {
        String json = "{\"items\": [{\"id\": \"a\"}]}";
        byte[] utf16 = ("\uFEFF" + json).getBytes(StandardCharsets.UTF_16BE); // the parser reads it; detection does not
        assertNull(ExportOutline.scan(utf16));
        assertEquals(ExportKind.UNKNOWN, BitwardenJson.detect(utf16).kind());
        byte[] utf8Bom = ("\uFEFF \n" + json).getBytes(StandardCharsets.UTF_8);
        assertEquals(1, ExportOutline.scan(utf8Bom).items());
        assertEquals(ExportKind.PLAIN_JSON, BitwardenJson.detect(utf8Bom).kind());
    }

    @Test
    void aFileAsLongAsTheStringLimitIsLeftToTheTreeReader() {
        int limit = BitwardenJson.mapper().getFactory().streamReadConstraints().getMaxStringLength();
        byte[] json = new byte[limit];
        byte[] head = "{\"items\": [], \"x\": \"".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(json, (byte) 'a');
        System.arraycopy(head, 0, json, 0, head.length);
        json[json.length - 2] = '"';
        json[json.length - 1] = '}';
        assertNull(ExportOutline.scan(json), "a string in it could be past the limit, which only the tree reader checks");
        assertEquals(ExportKind.PLAIN_JSON, BitwardenJson.detect(json).kind(), "the tree reader answers (its string is within the limit)");
    }

    @Test
    void theOutlineReadsWithinTheTreeReadersLimits() {
        var outline = ExportOutline.factory().streamReadConstraints();
        var tree = BitwardenJson.mapper().getFactory().streamReadConstraints();
        assertEquals(tree.getMaxStringLength(), outline.getMaxStringLength());
        assertEquals(tree.getMaxNumberLength(), outline.getMaxNumberLength());
        assertEquals(tree.getMaxNestingDepth(), outline.getMaxNestingDepth());
        assertEquals(tree.getMaxNameLength(), outline.getMaxNameLength());
        assertEquals(tree.getMaxDocumentLength(), outline.getMaxDocumentLength());
        assertEquals(tree.getMaxTokenCount(), outline.getMaxTokenCount());
        for (com.fasterxml.jackson.core.JsonParser.Feature feature : com.fasterxml.jackson.core.JsonParser.Feature.values()) {
            assertEquals(BitwardenJson.mapper().getFactory().isEnabled(feature), ExportOutline.factory().isEnabled(feature), feature.name());
        }
        // nested past the parser's depth limit: both refuse
        String deep = "{\"items\": [{\"x\": " + "[".repeat(1_100) + "]".repeat(1_100) + "}]}";
        assertNull(outline(deep));
        assertEquals(ExportKind.UNKNOWN, detect(deep).kind());
    }

    private static int listedAttachments(JsonNode tree) {
        int n = 0;
        for (JsonNode item : tree.get("items")) {
            JsonNode list = item.get("attachments");
            n += list != null && list.isArray() ? list.size() : 0;
        }
        return n;
    }

    private static ExportOutline outline(String json) {
        return ExportOutline.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Detection detect(String json) {
        return BitwardenJson.detect(json.getBytes(StandardCharsets.UTF_8));
    }
}
