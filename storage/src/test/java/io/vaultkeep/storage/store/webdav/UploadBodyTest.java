package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.store.ObjectContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadBodyTest {

    @TempDir
    Path spool;

    @Test
    void contentOfUnknownSizeUpToTheLimitIsSpooledInMemoryAndNeverTouchesTheDisk() throws IOException {
        byte[] bytes = random(UploadBody.MEMORY_SPOOL_LIMIT);
        try (UploadBody body = UploadBody.of(ObjectContent.streaming(out -> {
            out.write(bytes, 0, 100);
            out.write(bytes, 100, bytes.length - 100);
            out.close(); // writers such as zip4j close their target
        }), spool)) {
            assertEquals(List.of(), files(), "nothing was written to the spool folder");
            assertEquals(bytes.length, body.getContentLength());
            assertArrayEquals(bytes, sent(body));
            assertArrayEquals(bytes, sent(body), "the body is repeatable");
        }
    }

    @Test
    void largerContentIsSpooledToAFileWhoseNameIsGoneBeforeTheUploadStarts() throws IOException {
        byte[] bytes = random(UploadBody.MEMORY_SPOOL_LIMIT * 2 + 12345);
        try (UploadBody body = UploadBody.of(ObjectContent.streaming(out -> {
            for (int offset = 0; offset < bytes.length; offset += 7000) {
                out.write(bytes, offset, Math.min(7000, bytes.length - offset));
            }
        }), spool)) {
            // a kill -9 now would leave nothing: the spool exists only as the open channel
            assertEquals(List.of(), files());
            assertEquals(bytes.length, body.getContentLength());
            assertArrayEquals(bytes, sent(body));
            assertArrayEquals(bytes, sent(body), "a retry sends the same bytes again");
        }
    }

    @Test
    void aWriterThatFailsLeavesNoSpoolFile() {
        assertThrows(IOException.class, () -> UploadBody.of(ObjectContent.streaming(out -> {
            out.write(new byte[UploadBody.MEMORY_SPOOL_LIMIT + 10]);
            throw new IOException("source went away");
        }), spool));
        assertEquals(List.of(), filesUnchecked());
    }

    private List<Path> filesUnchecked() {
        try {
            return files();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sameAsIsTrueOnlyForExactlyTheBodysBytes() throws IOException {
        byte[] bytes = random(200_000);
        try (UploadBody body = UploadBody.of(ObjectContent.ofBytes(bytes), spool)) {
            assertTrue(body.sameAs(new ByteArrayInputStream(bytes)));
            byte[] lastDiffers = bytes.clone();
            lastDiffers[bytes.length - 1] ^= 1;
            assertFalse(body.sameAs(new ByteArrayInputStream(lastDiffers)));
            assertFalse(body.sameAs(new ByteArrayInputStream(java.util.Arrays.copyOf(bytes, bytes.length - 1))),
                    "a shorter object");
            assertFalse(body.sameAs(new ByteArrayInputStream(java.util.Arrays.copyOf(bytes, bytes.length + 1))),
                    "a longer object");
        }
    }

    @Test
    void sameAsComparesASpooledBodyToo() throws IOException {
        byte[] bytes = random(UploadBody.MEMORY_SPOOL_LIMIT + 5000);
        try (UploadBody body = UploadBody.of(ObjectContent.streaming(out -> out.write(bytes)), spool)) {
            assertTrue(body.sameAs(new ByteArrayInputStream(bytes)));
            byte[] firstDiffers = bytes.clone();
            firstDiffers[0] ^= 1;
            assertFalse(body.sameAs(new ByteArrayInputStream(firstDiffers)));
            assertArrayEquals(bytes, sent(body), "comparing leaves the body as it was for a retry");
        }
    }

    @Test
    void startsWithComparesOnlyTheStartReadBack() throws IOException {
        byte[] bytes = random(200_000);
        for (ObjectContent content : List.of(ObjectContent.ofBytes(bytes), ObjectContent.streaming(out -> out.write(bytes)))) {
            try (UploadBody body = UploadBody.of(content, spool)) {
                assertTrue(body.startsWith(java.util.Arrays.copyOf(bytes, 65_536)));
                assertTrue(body.startsWith(bytes), "the whole body is its own start");
                assertTrue(body.startsWith(new byte[0]));
                byte[] otherStart = java.util.Arrays.copyOf(bytes, 65_536);
                otherStart[65_535] ^= 1;
                assertFalse(body.startsWith(otherStart));
                otherStart = java.util.Arrays.copyOf(bytes, 10);
                otherStart[0] ^= 1;
                assertFalse(body.startsWith(otherStart));
                assertFalse(body.startsWith(java.util.Arrays.copyOf(bytes, bytes.length + 1)), "longer than the body");
                assertArrayEquals(bytes, sent(body), "comparing leaves the body as it was for a retry");
            }
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    private static byte[] sent(UploadBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
