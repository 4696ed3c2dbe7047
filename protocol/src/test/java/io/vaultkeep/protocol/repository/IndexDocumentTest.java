package io.vaultkeep.protocol.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index's maps: copied, unmodifiable and written in key order whatever their size. */
class IndexDocumentTest {

    private static final Instant AT = Instant.parse("2026-12-07T01:00:00Z");

    private static IndexDocument index(Map<String, String> contentHashes, Map<String, BlobEntry> blobs) {
        return new IndexDocument(1, "i1", 1, List.of(), AT, Map.of(), Map.of(), blobs, contentHashes);
    }

    private static BlobEntry blob(String path) {
        return new BlobEntry(path, 1L, 2L, AT, AT, null, null);
    }

    @Test
    void mapsOfEverySizeAreWrittenInKeyOrder() {
        Map<String, String> three = new LinkedHashMap<>();
        three.put("z", "3");
        three.put("a", "1");
        three.put("m", "2");
        String json = new String(RepositoryJson.write(index(three, Map.of("b1", blob("blobs/b1.zip")))), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"contentHashes\":{\"a\":\"1\",\"m\":\"2\",\"z\":\"3\"}"), json);
        assertTrue(json.contains("\"snapshots\":{},\"attachments\":{},\"blobs\":{\"b1\":{\"path\":\"blobs/b1.zip\""), json);
    }

    @Test
    void aDocumentReadAndWrittenAgainIsByteIdentical() throws Exception {
        Map<String, String> two = new HashMap<>(Map.of("y", "2", "x", "1"));
        byte[] written = RepositoryJson.write(index(two, Map.of("b1", blob("blobs/b1.zip"))));
        IndexDocument read = RepositoryJson.read(written, IndexDocument.class, "index");
        assertEquals(new String(written, StandardCharsets.UTF_8),
                new String(RepositoryJson.write(read), StandardCharsets.UTF_8));
        assertEquals(index(two, Map.of("b1", blob("blobs/b1.zip"))), read);
    }

    @Test
    void mapsOfEverySizeAreCopiesAndUnmodifiable() {
        for (int size = 0; size <= 3; size++) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < size; i++) {
                given.put("k" + i, "v" + i);
            }
            IndexDocument document = index(given, null);
            given.put("later", "x");
            assertEquals(size, document.contentHashes().size(), "size " + size);
            assertThrows(UnsupportedOperationException.class, () -> document.contentHashes().put("k", "v"), "size " + size);
            assertThrows(UnsupportedOperationException.class, () -> document.blobs().put("k", blob("p")), "size " + size);
        }
    }

    @Test
    void aCraftedIndexWithANullEntryIsReadAsItAlwaysWas() throws Exception {
        // a one-entry map with a null value, and a two-entry one: the null is kept, the document read
        byte[] json = ("{\"formatVersion\":1,\"indexId\":\"i1\",\"generation\":1,\"snapshots\":{\"s1\":null},"
                + "\"contentHashes\":{\"h2\":null,\"h1\":\"b1\"}}").getBytes(StandardCharsets.UTF_8);
        IndexDocument read = RepositoryJson.read(json, IndexDocument.class, "index");
        assertTrue(read.snapshots().containsKey("s1"));
        assertNull(read.snapshots().get("s1"));
        assertEquals(List.of("h1", "h2"), List.copyOf(read.contentHashes().keySet()));
        assertNull(read.contentHashes().get("h2"));
        assertThrows(UnsupportedOperationException.class, () -> read.snapshots().remove("s1"));
    }

    @Test
    void aNullKeyIsRefusedAsBefore() {
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "b1");
        assertThrows(NullPointerException.class, () -> index(nullKey, null));
        nullKey.put("h1", "b2");
        assertThrows(NullPointerException.class, () -> index(nullKey, null));
    }
}
