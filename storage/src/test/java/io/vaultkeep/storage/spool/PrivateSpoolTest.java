package io.vaultkeep.storage.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateSpoolTest {

    @TempDir
    Path folder;

    @Test
    void theSpoolHoldsItsBytesWithoutANameAnyoneCouldOpen() throws Exception {
        byte[] secret = "decrypted attachment bytes".getBytes(StandardCharsets.UTF_8);
        try (FileChannel spool = PrivateSpool.open(folder, "test-")) {
            assertEquals(List.of(), list(), "unlinked at once: no name another process could open");
            spool.write(ByteBuffer.wrap(secret));
            spool.position(0);
            ByteBuffer back = ByteBuffer.allocate(secret.length);
            while (back.hasRemaining() && spool.read(back) >= 0) {
                // read it all
            }
            assertArrayEquals(secret, back.array());
        }
        assertEquals(List.of(), list(), "nothing left behind");
    }

    private List<Path> list() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
