package io.vaultkeep.storage.archive;

import static io.vaultkeep.storage.archive.TestArchives.password;
import static io.vaultkeep.storage.archive.TestArchives.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.zip.Deflater;

import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.FileHeader;
import net.lingala.zip4j.model.LocalFileHeader;
import net.lingala.zip4j.model.Zip4jConfig;
import net.lingala.zip4j.model.ZipModel;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.AesVersion;
import net.lingala.zip4j.model.enums.CompressionLevel;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import net.lingala.zip4j.util.Zip4jUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vaultkeep.storage.archive.ZipCodec.Compression;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;

/** {@link AesZipWriter}: what it writes must be what zip4j writes, and what zip4j (Keyguard) reads. */
class AesZipWriterTest {

    private static final long TIME = 1_700_000_000_000L; // 2023-11-14
    private static final int BIG_ENTRY_SIZE = 20 * 1024 * 1024;

    private final Zip4jCodec codec = new Zip4jCodec();

    /** One entry's content and how hard it is deflated. */
    private record Content(String name, byte[] bytes, Compression compression) {
    }

    private static List<Content> sampleEntries() {
        byte[] random = new byte[300_000];
        new Random(11).nextBytes(random);
        return List.of(
                new Content("repo.json", utf8("{\"formatVersion\":1,\"app\":\"keyguard\"}"), Compression.NORMAL),
                new Content("empty", new byte[0], Compression.NORMAL),
                new Content("empty-stored", new byte[0], Compression.STORED_BLOCKS),
                new Content("attachments/6c1e/naïve file ✓.bin", random, Compression.STORED_BLOCKS),
                new Content("vault.json", utf8("{\"encrypted\":false,\"items\":[]}".repeat(5000)), Compression.NORMAL),
                new Content("one-byte", new byte[] {42}, Compression.NORMAL));
    }

    private static List<EntrySource> sources(List<Content> entries) {
        return entries.stream()
                .map(c -> new EntrySource(c.name(), out -> out.write(c.bytes()), c.compression()))
                .toList();
    }

    private static byte[] writeOurs(List<Content> entries, char[] password) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AesZipWriter.write(out, sources(entries), password, TIME);
        return out.toByteArray();
    }

    /** The same entries through zip4j's own streaming writer, with the parameters Keyguard uses. */
    private static byte[] writeWithZip4j(List<Content> entries, char[] password) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, password,
                new Zip4jConfig(StandardCharsets.UTF_8, Zip4jCodec.BUFFER_SIZE, true), new ZipModel())) {
            for (Content entry : entries) {
                ZipParameters parameters = new ZipParameters();
                parameters.setFileNameInZip(entry.name());
                parameters.setCompressionMethod(CompressionMethod.DEFLATE);
                parameters.setCompressionLevel(entry.compression() == Compression.STORED_BLOCKS
                        ? CompressionLevel.NO_COMPRESSION : CompressionLevel.NORMAL);
                parameters.setLastModifiedFileTime(TIME);
                parameters.setWriteExtendedLocalFileHeader(true);
                parameters.setEncryptFiles(true);
                parameters.setEncryptionMethod(EncryptionMethod.AES);
                parameters.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
                parameters.setAesVersion(AesVersion.TWO);
                zip.putNextEntry(parameters);
                zip.write(entry.bytes());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The archive with every entry's salt, verifier, ciphertext and authentication code zeroed. */
    private static byte[] withoutEncryptedData(byte[] zip) throws IOException {
        byte[] masked = zip.clone();
        for (ZipStructure.Entry entry : ZipStructure.parse(ZipStructure.ByteSource.of(zip)).entries()) {
            int data = Math.toIntExact(entry.local().dataOffset());
            Arrays.fill(masked, data, data + Math.toIntExact(entry.central().compressedSize()), (byte) 0);
        }
        return masked;
    }

    @Test
    void layoutIsZip4jsByteForByteOutsideTheEncryptedData() throws IOException {
        List<Content> entries = sampleEntries();
        byte[] ours = writeOurs(entries, password());
        byte[] zip4js = writeWithZip4j(entries, password());

        // same headers, descriptors, central directory and end record; same DEFLATE output, hence same sizes
        assertEquals(zip4js.length, ours.length);
        assertArrayEquals(withoutEncryptedData(zip4js), withoutEncryptedData(ours));
        // while the encrypted data differs: fresh random salts
        assertFalse(Arrays.equals(ours, zip4js), "two archives with the same salts");
    }

    @Test
    void zip4jsStreamingReaderReadsEveryEntryExactly() throws IOException {
        List<Content> entries = sampleEntries();
        byte[] zip = writeOurs(entries, password());

        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), password())) {
            LocalFileHeader header;
            while ((header = in.getNextEntry()) != null) {
                Content expected = entries.get(names.size());
                names.add(header.getFileName());
                assertEquals(expected.name(), header.getFileName());
                assertTrue(header.isEncrypted(), expected.name());
                assertEquals(EncryptionMethod.AES, header.getEncryptionMethod(), expected.name());
                // reading to the end makes zip4j check the authentication code
                assertArrayEquals(expected.bytes(), in.readAllBytes(), expected.name());
            }
        }
        assertEquals(entries.stream().map(Content::name).toList(), names);
    }

    @Test
    void zip4jsZipFileReadsEveryEntryExactly(@TempDir Path dir) throws IOException {
        List<Content> entries = sampleEntries();
        Path file = dir.resolve("ours.zip");
        Files.write(file, writeOurs(entries, password()));

        try (ZipFile zipFile = new ZipFile(file.toFile(), password())) {
            List<FileHeader> headers = zipFile.getFileHeaders();
            assertEquals(entries.stream().map(Content::name).toList(),
                    headers.stream().map(FileHeader::getFileName).toList());
            for (int i = 0; i < headers.size(); i++) {
                FileHeader header = headers.get(i);
                Content expected = entries.get(i);
                assertEquals(AesVersion.TWO, header.getAesExtraDataRecord().getAesVersion(), expected.name());
                assertEquals(AesKeyStrength.KEY_STRENGTH_256, header.getAesExtraDataRecord().getAesKeyStrength());
                assertEquals(CompressionMethod.DEFLATE, header.getAesExtraDataRecord().getCompressionMethod());
                assertEquals(expected.bytes().length, header.getUncompressedSize(), expected.name());
                assertTrue(header.isDataDescriptorExists(), expected.name());
                assertEquals(AesZipWriter.dosDateTime(TIME), (int) header.getLastModifiedTime(), expected.name());
                try (InputStream in = zipFile.getInputStream(header)) {
                    assertArrayEquals(expected.bytes(), in.readAllBytes(), expected.name());
                }
            }
        }
    }

    @Test
    void theJdkOnlyDecoderReadsEveryEntry() throws Exception {
        List<Content> entries = sampleEntries();
        byte[] zip = writeOurs(entries, password());

        for (Content entry : entries) {
            assertArrayEquals(entry.bytes(), Zip4jCodecTest.decryptIndependently(zip, entry.name(),
                    utf8(TestArchives.PASSWORD_TEXT)), entry.name());
        }
    }

    @Test
    void strictStructureCheckAndTheCodecAcceptIt() throws IOException {
        List<Content> entries = sampleEntries();
        byte[] zip = writeOurs(entries, password());

        ZipStructure.Archive archive = ZipStructure.parse(ZipStructure.ByteSource.of(zip));
        assertEquals(zip.length - ZipStructure.END_LENGTH, archive.end().offset());
        for (int i = 0; i < entries.size(); i++) {
            ZipStructure.Entry entry = archive.entries().get(i);
            Content expected = entries.get(i);
            assertEquals(expected.name(), entry.name());
            assertEquals(ZipStructure.FLAG_ENCRYPTED | ZipStructure.FLAG_DATA_DESCRIPTOR | ZipStructure.FLAG_UTF8,
                    entry.central().flags(), expected.name());
            assertEquals(ZipStructure.METHOD_AES, entry.central().method());
            assertEquals(new ZipStructure.AesInfo(2, 3, ZipStructure.METHOD_DEFLATED), entry.central().aes());
            assertEquals(0, entry.central().crc(), "AE-2 stores no CRC");
            assertEquals(expected.bytes().length, entry.central().uncompressedSize(), expected.name());
            assertTrue(entry.descriptor().signed(), expected.name());
        }
        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), password());
        assertEquals(entries.stream().map(Content::name).toList(), List.copyOf(read.keySet()));
        for (Content entry : entries) {
            assertArrayEquals(entry.bytes(), read.get(entry.name()), entry.name());
        }
        assertEquals(List.copyOf(read.keySet()), codec.verify(new ByteArrayInputStream(zip), password()));
    }

    @Test
    void aTamperedCiphertextOrAuthenticationCodeByteIsCorruption() throws IOException {
        List<Content> entries = sampleEntries();
        byte[] zip = writeOurs(entries, password());
        ZipStructure.Entry attachment = ZipStructure.parse(ZipStructure.ByteSource.of(zip)).entries().get(3);
        long data = attachment.local().dataOffset();
        long end = data + attachment.central().compressedSize();
        // in a stored DEFLATE block a flipped ciphertext byte still inflates: only the HMAC catches it
        long[] positions = {data + 18 + 150_000, end - 1};

        for (long position : positions) {
            byte[] damaged = TestArchives.flipped(zip, Math.toIntExact(position));
            String what = "byte " + position + " inverted";
            CorruptArchiveException readAll = assertThrows(CorruptArchiveException.class,
                    () -> codec.readAll(new ByteArrayInputStream(damaged), password()), what);
            assertTrue(readAll.getMessage().contains("HMAC"), readAll.getMessage());
            assertThrows(CorruptArchiveException.class, () -> codec.readEntry(new ByteArrayInputStream(damaged),
                    attachment.name(), password(), OutputStream.nullOutputStream()), what);
            assertThrows(CorruptArchiveException.class,
                    () -> codec.verify(new ByteArrayInputStream(damaged), password()), what);
            assertThrows(IOException.class, () -> readAllWithZip4j(damaged, password()), "zip4j, " + what);
        }
    }

    @Test
    void aTwentyMebibyteEntryIsStreamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("blob.zip");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        AtomicLong reachedFileWhenHalfWritten = new AtomicLong(-1);
        long started = System.nanoTime();
        try (CountingOutputStream out = new CountingOutputStream(Files.newOutputStream(file))) {
            EntrySource big = new EntrySource("attachment.bin", entryOut -> {
                SplittableRandom random = new SplittableRandom(42);
                byte[] chunk = new byte[1024 * 1024];
                for (int done = 0; done < BIG_ENTRY_SIZE; done += chunk.length) {
                    random.nextBytes(chunk);
                    written.update(chunk);
                    entryOut.write(chunk);
                    if (done == BIG_ENTRY_SIZE / 2) {
                        reachedFileWhenHalfWritten.set(out.count());
                    }
                }
            }, Compression.STORED_BLOCKS);
            AesZipWriter.write(out, List.of(big, EntrySource.ofBytes("after.json", utf8("{}"))), password(), TIME);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("AesZipWriter wrote a 20 MiB incompressible entry in %.3f s: %.0f MB/s%n", seconds,
                BIG_ENTRY_SIZE / 1e6 / seconds);
        assertTrue(reachedFileWhenHalfWritten.get() > BIG_ENTRY_SIZE / 4,
                "halfway through the entry only " + reachedFileWhenHalfWritten.get() + " bytes had reached the file");

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file), password())) {
            assertEquals("attachment.bin", in.getNextEntry().getFileName());
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) != -1) {
                read.update(buffer, 0, n);
            }
            assertEquals("after.json", in.getNextEntry().getFileName());
            assertArrayEquals(utf8("{}"), in.readAllBytes());
        }
        assertArrayEquals(written.digest(), read.digest());
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(List.of("attachment.bin", "after.json"), codec.verify(in, password()));
        }
    }

    @Test
    void aPerObjectKeyOpensItInZip4j(@TempDir Path dir) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        char[] keyBase64 = Base64.getEncoder().encodeToString(key).toCharArray();
        assertEquals(44, keyBase64.length);
        List<Content> entries = List.of(new Content("blob", utf8("attachment bytes"), Compression.NORMAL));
        Path file = dir.resolve("blob.zip");
        Files.write(file, writeOurs(entries, keyBase64));

        assertEquals(List.of("blob"), List.copyOf(readAllWithZip4j(Files.readAllBytes(file), keyBase64).keySet()));
        assertArrayEquals(utf8("attachment bytes"), readAllWithZip4j(Files.readAllBytes(file), keyBase64).get("blob"));
        try (ZipFile zipFile = new ZipFile(file.toFile(), keyBase64.clone());
             InputStream in = zipFile.getInputStream(zipFile.getFileHeader("blob"))) {
            assertArrayEquals(utf8("attachment bytes"), in.readAllBytes());
        }
        assertArrayEquals(utf8("attachment bytes"), Zip4jCodecTest.decryptIndependently(Files.readAllBytes(file),
                "blob", new String(keyBase64).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anEmptyArchiveIsJustTheEndRecord() throws IOException {
        byte[] zip = writeOurs(List.of(), password());

        assertArrayEquals(writeWithZip4j(List.of(), password()), zip);
        assertEquals(List.of(), codec.verify(new ByteArrayInputStream(zip), password()));
    }

    @Test
    void dosTimesAgreeWithZip4jsInEveryZone() {
        TimeZone original = TimeZone.getDefault();
        long[] times = {0L, 315_532_800_000L, TIME, TIME + 1999, 1_711_846_800_000L /* a DST switch in Europe */,
                4_102_444_799_000L};
        try {
            for (String zone : List.of("UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata")) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                for (long time : times) {
                    assertEquals((int) Zip4jUtil.epochToExtendedDosTime(time), AesZipWriter.dosDateTime(time),
                            time + " in " + zone);
                }
            }
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void tooManyEntriesForAnArchiveWithoutZip64AreRefusedBeforeWriting() {
        List<EntrySource> entries = IntStream.range(0, 0xFFFF)
                .mapToObj(i -> EntrySource.ofBytes("e" + i, new byte[0])).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> codec.write(out, entries, password()));
        assertTrue(refused.getMessage().contains("65535 entries"), refused.getMessage());
        assertEquals(0, out.size());
    }

    /** Reads every entry through zip4j's stream, zip4j's ZipFile, this project's reader and its strict check. */
    private void assertEveryReaderReads(Map<String, byte[]> expected, byte[] zip, @TempDir Path dir) throws IOException {
        Map<String, byte[]> zip4jStream = readAllWithZip4j(zip, password());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(zip4jStream.keySet()));
        Map<String, byte[]> ours = codec.readAll(new ByteArrayInputStream(zip), password());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(ours.keySet()));
        assertEquals(List.copyOf(expected.keySet()), codec.verify(new ByteArrayInputStream(zip), password()));
        Path file = Files.createTempFile(dir, "chunked", ".zip");
        Files.write(file, zip);
        try (ZipFile zipFile = new ZipFile(file.toFile(), password())) {
            for (Map.Entry<String, byte[]> entry : expected.entrySet()) {
                assertArrayEquals(entry.getValue(), zip4jStream.get(entry.getKey()), "zip4j stream: " + entry.getKey());
                assertArrayEquals(entry.getValue(), ours.get(entry.getKey()), "AesZipReader: " + entry.getKey());
                try (InputStream in = zipFile.getInputStream(zipFile.getFileHeader(entry.getKey()))) {
                    assertArrayEquals(entry.getValue(), in.readAllBytes(), "zip4j ZipFile: " + entry.getKey());
                }
            }
        }
    }

    private static int singleStreamSize(byte[] data) {
        Deflater deflater = new Deflater(AesZipWriter.NORMAL_LEVEL, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buffer = new byte[64 * 1024];
            int size = 0;
            while (!deflater.finished()) {
                size += deflater.deflate(buffer);
            }
            return size;
        } finally {
            deflater.end();
        }
    }

    @Test
    void aMultiMebibyteEntryIsDeflatedInChunksAndEveryReaderReadsItExactly(@TempDir Path dir) throws Exception {
        byte[] vault = ChunkedDeflateTest.mixed(6_300_000, 21);
        byte[] manifest = utf8("{\"formatVersion\":1}");
        byte[] zip = writeOurs(List.of(new Content("manifest.json", manifest, Compression.NORMAL),
                new Content("vault.json", vault, Compression.NORMAL)), password());

        Map<String, byte[]> expected = new LinkedHashMap<>();
        expected.put("manifest.json", manifest);
        expected.put("vault.json", vault);
        assertEveryReaderReads(expected, zip, dir);
        assertArrayEquals(vault, Zip4jCodecTest.decryptIndependently(zip, "vault.json", utf8(TestArchives.PASSWORD_TEXT)));
        // sync-flushed chunks make a stream of another length than one deflater's: the chunked path was taken
        ZipStructure.Entry entry = ZipStructure.parse(ZipStructure.ByteSource.of(zip)).entries().get(1);
        assertFalse(entry.central().compressedSize() - WinZipAes.OVERHEAD == singleStreamSize(vault),
                "the vault was deflated as one stream");
        ByteArrayOutputStream oneStream = new ByteArrayOutputStream();
        AesZipWriter.write(oneStream, List.of(EntrySource.ofBytes("vault.json", vault)), password(), TIME, 0);
        assertEquals(singleStreamSize(vault), ZipStructure.parse(ZipStructure.ByteSource.of(oneStream.toByteArray()))
                .entries().get(0).central().compressedSize() - WinZipAes.OVERHEAD, "chunks of 0: one stream");
    }

    @Test
    void writesAroundTheChunkBoundariesAndSmallWritesAfterLargeOnesReadBack(@TempDir Path dir) throws Exception {
        int threshold = ChunkedDeflate.THRESHOLD;
        int chunk = ChunkedDeflate.CHUNK_SIZE;
        byte[] data = ChunkedDeflateTest.mixed(5 * chunk + 1, 33);
        // each entry: the sizes of its successive writes (0 in a list: one write(int) of a byte)
        Map<String, int[]> writes = new LinkedHashMap<>();
        writes.put("below-threshold", new int[] {threshold - 1});
        writes.put("threshold-two-chunks", new int[] {threshold});
        writes.put("two-chunks-and-a-byte", new int[] {2 * chunk + 1});
        writes.put("many-chunks-and-a-byte", new int[] {5 * chunk + 1});
        writes.put("large-then-small", new int[] {threshold, 100, 0, 0, 70_000});
        writes.put("large-then-large", new int[] {threshold + 7, 2 * chunk, 3});
        writes.put("small-then-large", new int[] {10, threshold, 5});

        List<EntrySource> sources = new ArrayList<>();
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> entry : writes.entrySet()) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            int at = 0;
            for (int size : entry.getValue()) {
                int length = Math.max(1, size);
                content.write(data, at % data.length, Math.min(length, data.length - at % data.length));
                at += length;
            }
            byte[] bytes = content.toByteArray();
            expected.put(entry.getKey(), bytes);
            sources.add(new EntrySource(entry.getKey(), out -> {
                int offset = 0;
                for (int size : entry.getValue()) {
                    if (size == 0) {
                        out.write(bytes[offset++]);
                    } else {
                        out.write(bytes, offset, Math.min(size, bytes.length - offset));
                        offset += Math.min(size, bytes.length - offset);
                    }
                }
            }));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AesZipWriter.write(out, sources, password(), TIME);

        assertEveryReaderReads(expected, out.toByteArray(), dir);
    }

    @Test
    void anEntryWriterThrowingAfterALargeWriteLeavesNoArchiveAndNoBusyHelpers() throws Exception {
        byte[] vault = ChunkedDeflateTest.mixed(4 * ChunkedDeflate.THRESHOLD, 4);
        IOException broken = new IOException("export went away");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertSame(broken, assertThrows(IOException.class, () -> AesZipWriter.write(out, List.of(
                new EntrySource("vault.json", entryOut -> {
                    entryOut.write(vault);
                    throw broken;
                })), password(), TIME)));

        assertTrue(out.size() > vault.length / 4, "the chunks were written before the failure: " + out.size());
        assertThrows(IOException.class, () -> ZipStructure.parse(ZipStructure.ByteSource.of(out.toByteArray())));
        assertThrows(IOException.class, () -> codec.verify(new ByteArrayInputStream(out.toByteArray()), password()));
        ChunkedDeflateTest.awaitNoBusyHelpers();
    }

    @Test
    void anOutputFailingWhileChunksAreInFlightLeavesNoBusyHelpers() throws Exception {
        byte[] vault = ChunkedDeflateTest.mixed(8 * ChunkedDeflate.THRESHOLD, 5);
        IOException broken = new IOException("disk full");
        OutputStream failing = new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 1_500_000) {
                    throw broken;
                }
            }
        };

        assertSame(broken, assertThrows(IOException.class,
                () -> AesZipWriter.write(failing, List.of(EntrySource.ofBytes("vault.json", vault)), password(), TIME)));
        ChunkedDeflateTest.awaitNoBusyHelpers();
    }

    private static Map<String, byte[]> readAllWithZip4j(byte[] zip, char[] password) throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), password)) {
            LocalFileHeader header;
            while ((header = in.getNextEntry()) != null) {
                read.put(header.getFileName(), in.readAllBytes());
            }
        }
        return read;
    }

}
