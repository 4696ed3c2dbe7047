package io.vaultkeep.storage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

/** {@link ChunkedDeflate}: chunks that concatenate into one DEFLATE stream, whoever compressed them. */
class ChunkedDeflateTest {

    private static final int LEVEL = AesZipWriter.NORMAL_LEVEL;
    private static final int CHUNK = 64 * 1024;

    /** Text that compresses, with stretches of random bytes that do not, so chunks differ in ratio. */
    static byte[] mixed(int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            if (random.nextInt(4) == 0) {
                byte[] noise = new byte[1 + random.nextInt(40_000)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            } else {
                out.writeBytes(("{\"id\":\"" + Long.toHexString(random.nextLong()) + "\",\"name\":\"item "
                        + random.nextInt(1000) + "\",\"notes\":\"" + "lorem ipsum ".repeat(random.nextInt(8))
                        + "\"},").getBytes(StandardCharsets.UTF_8));
            }
        }
        return Arrays.copyOf(out.toByteArray(), size);
    }

    /** A JSON vault-like text: the kind of entry the chunks are for. */
    static byte[] jsonVault(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"login", "github", "bank", "mail", "secure", "note", "card", "identity", "home", "work"};
        StringBuilder json = new StringBuilder(size + 1024).append("{\"encrypted\":false,\"items\":[");
        while (json.length() < size) {
            json.append("{\"id\":\"").append(new java.util.UUID(random.nextLong(), random.nextLong()))
                    .append("\",\"type\":1,\"name\":\"").append(words[random.nextInt(words.length)]).append(' ')
                    .append(random.nextInt(10_000)).append("\",\"login\":{\"username\":\"user")
                    .append(random.nextInt(100_000)).append("@example.com\",\"password\":\"")
                    .append(Long.toString(random.nextLong(), 36)).append("\",\"uris\":[{\"uri\":\"https://")
                    .append(words[random.nextInt(words.length)]).append(".example.org/\"}]},\"favorite\":")
                    .append(random.nextBoolean()).append(",\"revisionDate\":\"2026-0").append(1 + random.nextInt(9))
                    .append("-1").append(random.nextInt(10)).append("T12:00:00.000Z\"},");
        }
        return Arrays.copyOf(json.toString().getBytes(StandardCharsets.UTF_8), size);
    }

    /** Chunked output, then a final empty block from a deflater primed like the entry's. */
    private static byte[] chunkedStream(byte[] data, byte[] dictionary, int chunkSize, List<Integer> chunkLengths)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDeflate.deflate(data, 0, data.length, dictionary, LEVEL, chunkSize, () -> { },
                (bytes, length) -> {
                    chunkLengths.add(length);
                    out.write(bytes, 0, length);
                });
        Deflater end = new Deflater(LEVEL, true);
        try {
            end.finish();
            byte[] buffer = new byte[64];
            while (!end.finished()) {
                out.write(buffer, 0, end.deflate(buffer));
            }
        } finally {
            end.end();
        }
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] deflated, byte[] dictionary) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            if (dictionary.length > 0) {
                inflater.setDictionary(dictionary);
            }
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("the stream ends before its final block");
                }
                out.write(buffer, 0, n);
            }
            assertEquals(0, inflater.getRemaining(), "bytes after the final block");
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static byte[] singleStream(byte[] data) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    @Test
    void chunksAtEveryBoundaryInflateAsOneStream() throws Exception {
        byte[] data = mixed(10 * CHUNK + 1, 3);
        int[] sizes = {1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 7 * CHUNK + 12_345, 10 * CHUNK + 1};
        for (int size : sizes) {
            byte[] part = Arrays.copyOf(data, size);
            List<Integer> chunkLengths = new ArrayList<>();
            byte[] stream = chunkedStream(part, new byte[0], CHUNK, chunkLengths);
            assertEquals((size + CHUNK - 1) / CHUNK, chunkLengths.size(), size + " bytes");
            assertArrayEquals(part, inflate(stream, new byte[0]), size + " bytes");
        }
    }

    @Test
    void aDictionaryCarriesTheStreamOnFromEarlierInput() throws Exception {
        byte[] data = jsonVault(5 * CHUNK, 8);
        byte[] before = Arrays.copyOfRange(data, 0, ChunkedDeflate.WINDOW);
        byte[] rest = Arrays.copyOfRange(data, ChunkedDeflate.WINDOW, data.length);

        byte[] stream = chunkedStream(rest, before, CHUNK, new ArrayList<>());

        assertArrayEquals(rest, inflate(stream, before));
        // without the earlier input the first chunk's back-references point at nothing
        assertThrows(DataFormatException.class, () -> inflate(stream, new byte[0]));
    }

    @Test
    void aJsonVaultCompressesWithinOnePercentOfOneStream() throws Exception {
        byte[] vault = jsonVault(6_300_000, 17);

        int single = singleStream(vault).length;
        byte[] chunked = chunkedStream(vault, new byte[0], ChunkedDeflate.CHUNK_SIZE, new ArrayList<>());

        assertArrayEquals(vault, inflate(chunked, new byte[0]));
        assertTrue(chunked.length <= single * 1.01, chunked.length + " bytes chunked against " + single + " in one stream");
    }

    @Test
    void theOverlapRunsBeforeTheFirstChunkIsHandedOn() throws Exception {
        byte[] data = mixed(3 * CHUNK, 5);
        List<String> events = new ArrayList<>();

        ChunkedDeflate.deflate(data, 0, data.length, new byte[0], LEVEL, CHUNK, () -> events.add("overlap"),
                (bytes, length) -> events.add("chunk"));

        assertEquals(List.of("overlap", "chunk", "chunk", "chunk"), events);
    }

    @Test
    void aFailingSinkStopsTheHelpersAndPropagates() throws Exception {
        byte[] data = mixed(40 * CHUNK, 9);
        IOException broken = new IOException("disk full");
        int[] accepted = {0};

        IOException thrown = assertThrows(IOException.class, () -> ChunkedDeflate.deflate(data, 0, data.length,
                new byte[0], LEVEL, CHUNK, () -> { }, (bytes, length) -> {
                    if (++accepted[0] == 3) {
                        throw broken;
                    }
                }));

        assertSame(broken, thrown);
        assertEquals(3, accepted[0]);
        awaitNoBusyHelpers();
    }

    @Test
    void aFailingOverlapStopsTheHelpersAndPropagates() throws Exception {
        byte[] data = mixed(40 * CHUNK, 10);
        IOException broken = new IOException("no keys");

        assertSame(broken, assertThrows(IOException.class, () -> ChunkedDeflate.deflate(data, 0, data.length,
                new byte[0], LEVEL, CHUNK, () -> {
                    throw broken;
                }, (bytes, length) -> { })));
        awaitNoBusyHelpers();
    }

    @Test
    void chunksSmallerThanTheWindowAreRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ChunkedDeflate.deflate(new byte[100_000], 0, 100_000, new byte[0], LEVEL, 1000, () -> { },
                        (bytes, length) -> { }));
        assertTrue(refused.getMessage().contains("at least a window"), refused.getMessage());
    }

    /** Helpers finish the chunk they are on, then claim no more: soon none is left working. */
    static void awaitNoBusyHelpers() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ChunkedDeflate.busyHelpers() > 0) {
            assertTrue(System.nanoTime() < deadline, ChunkedDeflate.busyHelpers() + " helpers still busy after 5 s");
            Thread.sleep(10);
        }
    }
}
