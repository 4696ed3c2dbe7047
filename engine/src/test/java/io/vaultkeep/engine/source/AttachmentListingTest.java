package io.vaultkeep.engine.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries are spliced into the export's text: every byte already there stays as given. */
class AttachmentListingTest {

    private static byte[] splice(String export, AttachmentListing.Added... added) throws Exception {
        return AttachmentListing.withEntries(export.getBytes(StandardCharsets.UTF_8), List.of(added), "export.json");
    }

    private static AttachmentListing.Added entry(String item, String id, long size, String name) {
        return new AttachmentListing.Added(item, id, size, name);
    }

    @Test
    void nothingToAddIsTheSameBytes() throws Exception {
        byte[] export = "{ \"items\" : [ {\"id\":\"a\", \"n\": 1.50} ] }\n".getBytes(StandardCharsets.UTF_8);
        assertSame(export, AttachmentListing.withEntries(export, List.of(), "export.json"));
    }

    @Test
    void anEntryJoinsAnExistingListAfterTheEntriesGivenWhichStayByteForByte() throws Exception {
        String export = """
                {
                  "items": [
                    {
                      "id": "a",
                      "attachments": [
                        {"id": "old", "size": "102400", "sizeName": "100 KB",  "fileName": "scan.bin"}
                      ],
                      "n": 1.50
                    }
                  ]
                }
                """;
        assertEquals("""
                {
                  "items": [
                    {
                      "id": "a",
                      "attachments": [
                        {"id": "old", "size": "102400", "sizeName": "100 KB",  "fileName": "scan.bin"},{"id":"new","size":7,"fileName":"notes \\"1\\".txt"}
                      ],
                      "n": 1.50
                    }
                  ]
                }
                """, new String(splice(export, entry("a", "new", 7, "notes \"1\".txt")), StandardCharsets.UTF_8));
    }

    @Test
    void anItemWithoutAListGetsOneAnEmptyOrNullListIsFilled() throws Exception {
        String export = "{\"items\":[ {\"id\":\"a\",\"name\":\"x\" } , {\"attachments\": [ ], \"id\":\"b\"},"
                + " {\"id\":\"c\",\"attachments\":null,\"z\":true}, {\"id\":\"d\"} ],\"folders\":[]}";
        String spliced = new String(splice(export, entry("a", "1", 1, "f"), entry("a", "2", 2, "g"), entry("b", "3", 3, "h"),
                entry("c", "4", 4, "i")), StandardCharsets.UTF_8);
        assertEquals("{\"items\":[ {\"id\":\"a\",\"name\":\"x\",\"attachments\":[{\"id\":\"1\",\"size\":1,\"fileName\":\"f\"},"
                + "{\"id\":\"2\",\"size\":2,\"fileName\":\"g\"}] } , {\"attachments\": [{\"id\":\"3\",\"size\":3,\"fileName\":\"h\"} ], \"id\":\"b\"},"
                + " {\"id\":\"c\",\"attachments\":[{\"id\":\"4\",\"size\":4,\"fileName\":\"i\"}],\"z\":true}, {\"id\":\"d\"} ],\"folders\":[]}", spliced);
    }

    @Test
    void aByteOrderMarkAndMultiByteTextBeforeTheItemKeepTheOffsetsRight() throws Exception {
        String export = "\uFEFF{\"folders\":[{\"name\":\"Ünïcødé 🔑\"}],\"items\":[{\"id\":\"a\",\"name\":\"日本\"}]}";
        assertEquals("\uFEFF{\"folders\":[{\"name\":\"Ünïcødé 🔑\"}],\"items\":[{\"id\":\"a\",\"name\":\"日本\","
                + "\"attachments\":[{\"id\":\"1\",\"size\":1,\"fileName\":\"ß.txt\"}]}]}",
                new String(splice(export, entry("a", "1", 1, "ß.txt")), StandardCharsets.UTF_8));
    }

    @Test
    void aRepeatedItemIdGetsTheEntryOnItsFirstItemOnly() throws Exception {
        String spliced = new String(splice("{\"items\":[{\"id\":\"a\",\"k\":1},{\"id\":\"a\",\"k\":2}]}", entry("a", "1", 1, "f")),
                StandardCharsets.UTF_8);
        assertEquals("{\"items\":[{\"id\":\"a\",\"k\":1,\"attachments\":[{\"id\":\"1\",\"size\":1,\"fileName\":\"f\"}]},{\"id\":\"a\",\"k\":2}]}", spliced);
    }

    @Test
    void anAttachmentsValueThatIsNoListIsAClearError() {
        VaultSourceException e = assertThrows(VaultSourceException.class,
                () -> splice("{\"items\":[{\"id\":\"a\",\"attachments\":\"S3CR3T\"}]}", entry("a", "1", 1, "f")));
        assertTrue(e.getMessage().contains("item a in export.json has \"attachments\" that is not a list"), e.getMessage());
        assertTrue(!e.getMessage().contains("S3CR3T"), "no vault content in the message");
    }
}
