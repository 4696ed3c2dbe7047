package io.vaultkeep.storage.archive;

import static io.vaultkeep.storage.archive.TestArchives.password;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipStructureTest {

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void describesWhatTheCodecWrites(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(encrypted ? password() : null);

        ZipStructure.Archive archive = ZipStructure.parse(ZipStructure.ByteSource.of(zip));

        assertEquals(List.of("a.json", "empty", "b.txt"), archive.names());
        assertFalse(archive.end().zip64());
        assertEquals(zip.length - 22, archive.end().offset());
        long expectedOffset = 0;
        for (ZipStructure.Entry entry : archive.entries()) {
            ZipStructure.CentralHeader central = entry.central();
            assertEquals(expectedOffset, entry.local().offset(), entry.name() + " follows the previous entry");
            assertEquals(ZipStructure.FLAG_DATA_DESCRIPTOR | ZipStructure.FLAG_UTF8
                    | (encrypted ? ZipStructure.FLAG_ENCRYPTED : 0), central.flags(), entry.name());
            assertTrue(entry.descriptor().signed(), entry.name() + " descriptor has its signature");
            assertEquals(central.compressedSize(), entry.descriptor().compressedSize());
            if (encrypted) {
                assertEquals(ZipStructure.METHOD_AES, central.method());
                assertEquals(new ZipStructure.AesInfo(2, 3, ZipStructure.METHOD_DEFLATED), central.aes());
                assertEquals(0, central.crc(), "AE-2 stores no CRC");
            } else {
                assertEquals(ZipStructure.METHOD_DEFLATED, central.method());
                assertNull(central.aes());
            }
            expectedOffset = entry.end();
        }
        assertEquals(archive.end().centralDirectoryOffset(), expectedOffset);
    }

    @Test
    void readsZip64EndRecords() throws IOException {
        // zip4j switches to Zip64 end records at 65,535 entries; empty entries keep this small
        int count = 65_536;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < count; i++) {
                ZipParameters parameters = new ZipParameters();
                parameters.setFileNameInZip("e" + i);
                out.putNextEntry(parameters);
                out.closeEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        List<String> names = IntStream.range(0, count).mapToObj(i -> "e" + i).toList();

        ZipStructure.Archive archive = ZipStructure.parse(ZipStructure.ByteSource.of(zip));
        assertTrue(archive.end().zip64());
        assertEquals(count, archive.end().entryCount());
        assertEquals(zip.length - 22 - 20 - 56, archive.end().offset());

        Zip4jCodec codec = new Zip4jCodec();
        assertEquals(names, codec.verify(new ByteArrayInputStream(zip), null));
        // the central directory is larger than what a streamed read keeps of the tail: counted only
        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), null);
        assertEquals(names, List.copyOf(read.keySet()));

        byte[] damagedLocator = TestArchives.flipped(zip, zip.length - 22 - 20 + 8);
        assertThrows(CorruptArchiveException.class, () -> ZipStructure.parse(ZipStructure.ByteSource.of(damagedLocator)));
        byte[] damagedCount = TestArchives.flipped(zip, zip.length - 22 - 20 - 56 + 32);
        assertThrows(CorruptArchiveException.class, () -> ZipStructure.parse(ZipStructure.ByteSource.of(damagedCount)));
    }

    @Test
    void tooShortForAnEndRecord() {
        CorruptArchiveException e = assertThrows(CorruptArchiveException.class,
                () -> ZipStructure.parse(ZipStructure.ByteSource.of(new byte[21])));
        assertTrue(e.getMessage().contains("21 bytes"), e.getMessage());
    }

    /** AesInfo's hand-written equals (start-up, issue 17) compares as the record's would: every component. */
    @Test
    void aesInfoComparesEveryComponent() {
        ZipStructure.AesInfo info = new ZipStructure.AesInfo(2, 3, 8);
        assertEquals(info, new ZipStructure.AesInfo(2, 3, 8));
        assertEquals(info.hashCode(), new ZipStructure.AesInfo(2, 3, 8).hashCode());
        for (ZipStructure.AesInfo other : List.of(new ZipStructure.AesInfo(1, 3, 8), new ZipStructure.AesInfo(2, 1, 8),
                new ZipStructure.AesInfo(2, 3, 0))) {
            assertNotEquals(info, other, other::toString);
        }
        assertNotEquals(info, null);
        assertNotEquals(info, (Object) "AesInfo[vendorVersion=2, keyStrength=3, actualMethod=8]");
    }
}
