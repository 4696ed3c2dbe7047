package io.vaultkeep.storage.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import io.vaultkeep.storage.diff.SnapshotDiff.Attachment;
import io.vaultkeep.storage.diff.SnapshotDiff.ChangedAttachment;
import io.vaultkeep.storage.diff.SnapshotDiff.Entry;
import io.vaultkeep.storage.diff.SnapshotDiff.Side;
import io.vaultkeep.storage.diff.SnapshotDiff.VaultDiff;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {

    private static final String BEFORE = """
            {"encrypted": false,
             "folders": [{"id": "f1", "name": "Work"}, {"id": "f2", "name": "Old"}],
             "items": [
               {"id": "i1", "name": "GitHub", "folderId": "f1", "login": {"username": "me", "password": "old-secret",
                "uris": [{"uri": "https://github.com"}]}, "fields": [{"name": "pin", "value": "1111"}]},
               {"id": "i2", "name": "Bank", "notes": "vault note"},
               {"id": "i3", "name": "Gone", "login": {"password": "gone-secret"}}]}""";

    private static final String AFTER = """
            {"encrypted": false,
             "folders": [{"id": "f1", "name": "Work"}, {"id": "f3", "name": "New"}],
             "items": [
               {"id": "i1", "name": "GitHub", "folderId": "f1", "login": {"username": "me", "password": "new-secret",
                "uris": [{"uri": "https://github.com"}, {"uri": "https://gist.github.com"}]}, "fields": [{"name": "pin", "value": "2222"}],
                "favorite": true},
               {"id": "i2", "name": "Bank", "notes": "vault note"},
               {"id": "i4", "name": "Added", "login": {"password": "added-secret"}}]}""";

    private static ManifestAttachment attachment(String item, String id, String name, long size, String fingerprint) {
        return new ManifestAttachment("default", item, item, id, name, size, fingerprint, "blob-" + fingerprint, "blobs/x", "x");
    }

    private static Side side(String json, List<ManifestAttachment> attachments) {
        return new Side(json.getBytes(StandardCharsets.UTF_8), attachments);
    }

    private static VaultDiff diff(boolean withValues) throws Exception {
        return SnapshotDiff.compare(
                side(BEFORE, List.of(attachment("i1", "a1", "codes.txt", 10, "fp1"), attachment("i2", "a2", "scan.pdf", 99, "fp2"),
                        attachment("i1", "a3", "key.txt", 5, "fp3"))),
                side(AFTER, List.of(attachment("i1", "a1", "codes.txt", 12, "fp9"), attachment("i1", "a3", "key.pem", 5, "fp3"),
                        attachment("i4", "a4", "new.txt", 1, "fp4"))),
                withValues);
    }

    @Test
    void itemsAddedRemovedAndChangedAreNamedWithTheirChangedFields() throws Exception {
        VaultDiff d = diff(false);
        assertEquals(List.of(new Entry("i4", "Added")), d.items().added());
        assertEquals(List.of(new Entry("i3", "Gone")), d.items().removed());
        assertEquals(1, d.items().changed().size(), "an unchanged item is not listed");
        SnapshotDiff.Changed github = d.items().changed().get(0);
        assertEquals("i1", github.id());
        assertEquals("GitHub", github.name());
        // arrays of one length compare element by element; a grown list is one change
        assertEquals(List.of("login.password", "login.uris", "fields[0].value", "favorite"), github.fields());
        assertEquals(List.of(), github.values());
    }

    @Test
    void valuesAreLeftOutUnlessAskedFor() throws Exception {
        String hidden = new ObjectMapper().writeValueAsString(diff(false));
        for (String secret : List.of("old-secret", "new-secret", "1111", "2222", "gone-secret", "added-secret", "gist")) {
            assertFalse(hidden.contains(secret), secret + " in " + hidden);
        }
        assertFalse(hidden.contains("\"values\""), hidden);

        SnapshotDiff.Changed shown = diff(true).items().changed().get(0);
        assertEquals("login.password", shown.values().get(0).field());
        assertEquals("old-secret", shown.values().get(0).before().asText());
        assertEquals("new-secret", shown.values().get(0).after().asText());
        assertEquals(2, shown.values().get(1).after().size());
        assertNull(shown.values().get(3).before(), "a field the older item lacks has no value before");
        assertTrue(shown.values().get(3).after().asBoolean());
    }

    @Test
    void foldersAndAttachmentsAreComparedToo() throws Exception {
        VaultDiff d = diff(false);
        assertEquals(List.of(new Entry("f3", "New")), d.folders().added());
        assertEquals(List.of(new Entry("f2", "Old")), d.folders().removed());
        assertTrue(d.folders().changed().isEmpty());
        assertTrue(d.collections().isEmpty());
        assertEquals(List.of(new Attachment("i4", "a4", "new.txt", 1L)), d.attachments().added());
        assertEquals(List.of(new Attachment("i2", "a2", "scan.pdf", 99L)), d.attachments().removed());
        assertEquals(List.of(new ChangedAttachment("i1", "a1", "codes.txt", List.of("size", "content")),
                new ChangedAttachment("i1", "a3", "key.pem", List.of("fileName"))), d.attachments().changed());
        assertFalse(d.isEmpty());
    }

    @Test
    void aSnapshotComparedWithItselfHasNoDifference() throws Exception {
        Side same = side(AFTER, List.of(attachment("i1", "a1", "codes.txt", 12, "fp9")));
        assertTrue(SnapshotDiff.compare(same, same, true).isEmpty());
    }

    @Test
    void sealedSnapshotsCompareTheirCiphers() throws Exception {
        String before = """
                {"vaultkeepSealed": 1, "encrypted": true, "folders": [], "collections": [{"id": "c1", "name": "2.aa|bb|cc"}],
                 "ciphers": [{"id": "c-1", "name": "2.n1|x|y", "login": {"password": "2.p1|x|y"}}]}""";
        String after = """
                {"vaultkeepSealed": 1, "encrypted": true, "folders": [], "collections": [],
                 "ciphers": [{"id": "c-1", "name": "2.n1|x|y", "login": {"password": "2.p2|x|y"}}]}""";
        VaultDiff d = SnapshotDiff.compare(side(before, List.of()), side(after, List.of()), false);
        assertEquals(List.of("login.password"), d.items().changed().get(0).fields());
        assertEquals(List.of(new Entry("c1", "2.aa|bb|cc")), d.collections().removed());
    }
}
