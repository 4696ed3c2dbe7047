package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.store.ObjectContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract suite, and what is particular to WebDAV, against a real Apache httpd with mod_dav. */
class ApacheWebDavStoreTest extends WebDavStoreContractTest {

    private ApacheDav apache;

    @Override
    protected DavServer startServer() throws IOException {
        apache = ApacheDav.start();
        return apache;
    }

    @Test
    void writesPutATemporarySiblingWithContentLengthThenMoveItIntoPlace() throws IOException {
        ObjectContent streamed = ObjectContent.streaming(out -> out.write(utf8("twelve bytes")));

        store.create("snapshots/s.zip", streamed);
        store.replace("snapshots/s.zip", ObjectContent.ofBytes(utf8("replaced")));

        List<String> writes = apache.accessLog(line -> line.contains("/" + collection + "/snapshots/")
                && (line.startsWith("PUT ") || line.startsWith("MOVE ")), 4);
        String temp = "/" + collection + "/snapshots/\\.kg-tmp-[0-9a-f-]{36}\\.tmp";
        assertEquals(4, writes.size(), writes::toString);
        assertTrue(writes.get(0).matches("PUT " + temp + " 201 cl=12 te=- ow=-"), writes.get(0));
        assertTrue(writes.get(1).matches("MOVE " + temp + " 201 cl=- te=- ow=F"), writes.get(1));
        assertTrue(writes.get(2).matches("PUT " + temp + " 201 cl=8 te=- ow=-"), writes.get(2));
        assertTrue(writes.get(3).matches("MOVE " + temp + " 204 cl=- te=- ow=T"), writes.get(3));
        assertArrayEqualsUtf8("replaced", "snapshots/s.zip");
    }

    @Test
    void aServerThatCannotMoveIsRefusedAndNothingIsWrittenInPlace() throws IOException {
        try (WebDavStore noMove = WebDavStore.open(apache.url("nomove/" + collection), ApacheDav.USER,
                ApacheDav.PASSWORD, null)) {
            IOException refused = assertThrows(IOException.class,
                    () -> noMove.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("content"))));

            assertTrue(refused.getMessage().contains("atomic writes unsupported by webdav " + apache.url("nomove/")),
                    refused.getMessage());
            assertTrue(noMove.stat("snapshots/a.zip").isEmpty());
            assertEquals(List.of(), filesUnder(apache.files().resolve("nomove").resolve(collection)),
                    "neither the object nor its temporary file is left on the server");
        }
    }

    private void assertArrayEqualsUtf8(String expected, String key) throws IOException {
        assertEquals(expected, new String(readAll(key), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
