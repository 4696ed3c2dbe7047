package io.vaultkeep.storage.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlicedFileIoTest {

    @TempDir
    Path temp;

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aLargeWriteReachesTheStreamInSlicesAndWhole() throws IOException {
        byte[] data = bytes(3 * SlicedFileIo.SLICE + 17);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<Integer> calls = new ArrayList<>();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                calls.add(1);
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                calls.add(len);
                sink.write(b, off, len);
            }
        };
        try (OutputStream out = SlicedFileIo.output(recording)) {
            out.write(data, 5, data.length - 5);
            out.write(data, 0, 5);
        }
        assertEquals(List.of(SlicedFileIo.SLICE, SlicedFileIo.SLICE, SlicedFileIo.SLICE, 12, 5), calls);
        byte[] expected = new byte[data.length];
        System.arraycopy(data, 5, expected, 0, data.length - 5);
        System.arraycopy(data, 0, expected, data.length - 5, 5);
        assertArrayEquals(expected, sink.toByteArray());
    }

    @Test
    void aLargeReadAsksTheStreamForOneSliceAtMost() throws IOException {
        byte[] data = bytes(2 * SlicedFileIo.SLICE + 3);
        List<Integer> asked = new ArrayList<>();
        InputStream recording = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                asked.add(len);
                return super.read(b, off, len);
            }
        };
        try (InputStream in = SlicedFileIo.input(recording)) {
            assertArrayEquals(data, in.readNBytes(data.length));
        }
        assertTrue(asked.stream().allMatch(len -> len <= SlicedFileIo.SLICE), asked::toString);
    }

    @Test
    void aWholeFileReadsAsTheJdkReadsItAndLinksAreRefusedWhenAsked() throws IOException {
        for (int size : new int[] {0, 1, SlicedFileIo.SLICE, 5 * SlicedFileIo.SLICE + 1}) {
            Path file = Files.write(temp.resolve("f" + size), bytes(size));
            assertArrayEquals(Files.readAllBytes(file), SlicedFileIo.readAllBytes(file), "size " + size);
        }
        Path link = Files.createSymbolicLink(temp.resolve("link"), temp.resolve("f1"));
        assertEquals(1, SlicedFileIo.readAllBytes(link).length);
        assertThrows(IOException.class, () -> SlicedFileIo.readAllBytes(link, LinkOption.NOFOLLOW_LINKS));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SlicedFileIo.readAllBytes(temp.resolve("missing")));
    }
}
