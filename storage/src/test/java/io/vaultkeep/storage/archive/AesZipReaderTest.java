package io.vaultkeep.storage.archive;

import static io.vaultkeep.storage.archive.TestArchives.password;
import static io.vaultkeep.storage.archive.TestArchives.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.Zip4jConfig;
import net.lingala.zip4j.model.ZipModel;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.AesVersion;
import net.lingala.zip4j.model.enums.CompressionLevel;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vaultkeep.storage.archive.ZipCodec.EntrySource;

/** Encrypted archives read by {@link AesZipReader} (through {@link Zip4jCodec}): zip4j's, and damaged ones. */
class AesZipReaderTest {

    /**
     * Written by zip4j 2.11.6's ZipOutputStream (AE-2, AES-256, data descriptors; password "pw"):
     * "a.txt" holds "hello hello hello" (DEFLATE level 5), "empty" nothing (level 0). Frozen here,
     * so the reader stays compatible with what Keyguard wrote even if the zip4j in the tests changes.
     */
    private static final String ZIP4J_VECTOR = ""
            + "504b0304330009086300aab16e5700000000000000000000000005000b00612e74787401990700020041450308001aa92014"
            + "ba232e67deb491a7891c67c213d4bb186c712335854069f0ff7b019405fea25bb270504b0708000000002600000011000000"
            + "504b0304330009086300aab16e5700000000000000000000000005000b00656d707479019907000200414503080056396e2d"
            + "cfd343b13b95eea125456696f1427751341bdfe815927814fa6ad12e6c504b0708000000002100000000000000504b010233"
            + "03330009086300aab16e5700000000260000001100000005000b000000000000000000a48100000000612e74787401990700"
            + "02004145030800504b01023303330009086300aab16e5700000000210000000000000005000b000000000000000000a48164"
            + "000000656d7074790199070002004145030800504b050600000000020002007c000000c30000000000";

    private final Zip4jCodec codec = new Zip4jCodec();

    private static Map<String, byte[]> sampleEntries() {
        byte[] random = new byte[200_000];
        new SplittableRandom(9).nextBytes(random);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("repo.json", utf8("{\"formatVersion\":1,\"app\":\"keyguard\"}"));
        entries.put("empty", new byte[0]);
        entries.put("naïve ✓.bin", random);
        entries.put("vault.json", utf8("{\"encrypted\":false,\"items\":[]}".repeat(5000)));
        return entries;
    }

    private static void assertSameEntries(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "entry names in order");
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    @Test
    void readsTheFrozenZip4jVector() throws IOException {
        byte[] zip = HexFormat.of().parseHex(ZIP4J_VECTOR);
        char[] password = "pw".toCharArray();

        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), password);
        assertEquals(List.of("a.txt", "empty"), List.copyOf(read.keySet()));
        assertEquals("hello hello hello", new String(read.get("a.txt"), StandardCharsets.UTF_8));
        assertEquals(0, read.get("empty").length);
        assertEquals(List.of("a.txt", "empty"), codec.verify(new ByteArrayInputStream(zip), password));
        assertThrows(WrongPasswordException.class,
                () -> codec.readAll(new ByteArrayInputStream(zip), "pW".toCharArray()));
    }

    /** zip4j's streaming writer, in every AES variant it writes (not AES-192) and both DEFLATE levels we use. */
    @Test
    void readsWhatZip4jsStreamingWriterWritesInEveryAesVariant() throws IOException {
        Map<String, byte[]> entries = sampleEntries();
        for (AesVersion version : AesVersion.values()) {
            for (AesKeyStrength strength : List.of(AesKeyStrength.KEY_STRENGTH_128, AesKeyStrength.KEY_STRENGTH_256)) {
                for (CompressionLevel level : List.of(CompressionLevel.NORMAL, CompressionLevel.NO_COMPRESSION)) {
                    String variant = version + ", " + strength + ", " + level;
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (ZipOutputStream zip = new ZipOutputStream(out, password(),
                            new Zip4jConfig(StandardCharsets.UTF_8, 4096, true), new ZipModel())) {
                        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                            ZipParameters parameters = aes(entry.getKey(), version, strength);
                            parameters.setCompressionLevel(level);
                            parameters.setWriteExtendedLocalFileHeader(true);
                            zip.putNextEntry(parameters);
                            zip.write(entry.getValue());
                            zip.closeEntry();
                        }
                    }
                    byte[] zip = out.toByteArray();

                    assertSameEntries(entries, codec.readAll(new ByteArrayInputStream(zip), password()));
                    assertEquals(List.copyOf(entries.keySet()), codec.verify(new ByteArrayInputStream(zip), password()),
                            variant);
                }
            }
        }
    }

    /**
     * zip4j's ZipFile API seeks back to fill in the local headers: addFile writes sizes there and
     * no data descriptor; addStream writes a descriptor, and sizes in the local header for STORE
     * but zeros for DEFLATE. Each is a different way for the reader to find where the data ends.
     */
    @Test
    void readsWhatZip4jsZipFileApiWritesDeflatedAndStored(@TempDir Path dir) throws IOException {
        Map<String, byte[]> entries = sampleEntries();
        for (CompressionMethod method : List.of(CompressionMethod.DEFLATE, CompressionMethod.STORE)) {
            for (boolean fromFiles : new boolean[] {false, true}) {
                String variant = method + (fromFiles ? ", addFile" : ", addStream");
                Path file = dir.resolve(method + "-" + fromFiles + ".zip");
                try (ZipFile zipFile = new ZipFile(file.toFile(), password())) {
                    int i = 0;
                    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                        ZipParameters parameters = aes(entry.getKey(), AesVersion.TWO, AesKeyStrength.KEY_STRENGTH_256);
                        parameters.setCompressionMethod(method);
                        if (fromFiles) {
                            Path source = Files.write(dir.resolve("source-" + i++), entry.getValue());
                            zipFile.addFile(source.toFile(), parameters);
                        } else {
                            zipFile.addStream(new ByteArrayInputStream(entry.getValue()), parameters);
                        }
                    }
                }
                byte[] zip = Files.readAllBytes(file);
                for (ZipStructure.Entry entry : ZipStructure.parse(ZipStructure.ByteSource.of(zip)).entries()) {
                    String what = variant + ", " + entry.name();
                    // addFile stores an empty file whatever the method asked for
                    boolean stored = method == CompressionMethod.STORE || (fromFiles && entry.name().equals("empty"));
                    assertEquals(stored ? ZipStructure.METHOD_STORED : ZipStructure.METHOD_DEFLATED,
                            entry.central().aes().actualMethod(), what);
                    assertEquals(!fromFiles, entry.descriptor() != null, what + ": data descriptor");
                    boolean sizesInLocalHeader = fromFiles || method == CompressionMethod.STORE;
                    assertEquals(sizesInLocalHeader ? entry.central().compressedSize() : 0,
                            entry.local().compressedSize(), what + ": local compressed size");
                }

                assertSameEntries(entries, codec.readAll(new ByteArrayInputStream(zip), password()));
                assertEquals(List.copyOf(entries.keySet()), codec.verify(new ByteArrayInputStream(zip), password()),
                        variant);
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                codec.readEntry(new ByteArrayInputStream(zip), "naïve ✓.bin", password(), one);
                assertArrayEquals(entries.get("naïve ✓.bin"), one.toByteArray(), variant);
            }
        }
    }

    /** Sizes of 4 GiB and more sit in a Zip64 extra field; small ones moved there must read the same. */
    @Test
    void readsSizesFromALocalZip64ExtraField(@TempDir Path dir) throws IOException {
        byte[] content = sampleEntries().get("vault.json");
        Path file = dir.resolve("one.zip");
        Path source = Files.write(dir.resolve("vault.json"), content);
        try (ZipFile zipFile = new ZipFile(file.toFile(), password())) {
            // no data descriptor: the local header's sizes are the only ones a streaming reader has
            zipFile.addFile(source.toFile(), aes("vault.json", AesVersion.TWO, AesKeyStrength.KEY_STRENGTH_256));
        }
        byte[] zip = Files.readAllBytes(file);
        ZipStructure.Entry entry = ZipStructure.parse(ZipStructure.ByteSource.of(zip)).entries().get(0);
        int extraStart = ZipStructure.LOCAL_HEADER_LENGTH + entry.local().rawName().length;
        int dataStart = Math.toIntExact(entry.local().dataOffset());

        // local sizes become "see Zip64", a Zip64 field (uncompressed, then compressed size) goes first
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        byte[] header = Arrays.copyOf(zip, extraStart);
        Arrays.fill(header, 18, 26, (byte) 0xFF);
        int extraLength = TestArchives.u16(zip, 28) + 20;
        header[28] = (byte) extraLength;
        header[29] = (byte) (extraLength >>> 8);
        rewritten.write(header);
        rewritten.write(HexFormat.of().parseHex("01001000"));
        rewritten.write(littleEndian64(entry.central().uncompressedSize()));
        rewritten.write(littleEndian64(entry.central().compressedSize()));
        rewritten.write(zip, extraStart, zip.length - extraStart);
        byte[] zip64 = rewritten.toByteArray();
        int end = zip64.length - ZipStructure.END_LENGTH;
        long centralOffset = TestArchives.u32(zip64, end + 16) + 20;
        for (int i = 0; i < 4; i++) {
            zip64[end + 16 + i] = (byte) (centralOffset >>> (8 * i));
        }
        assertEquals(dataStart + 20, ZipStructure.parse(ZipStructure.ByteSource.of(zip64)).entries().get(0).local()
                .dataOffset());

        assertArrayEquals(content, codec.readAll(new ByteArrayInputStream(zip64), password()).get("vault.json"));
        assertEquals(List.of("vault.json"), codec.verify(new ByteArrayInputStream(zip64), password()));
    }

    private static byte[] littleEndian64(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }

    /** zip4j never encrypts a directory entry: in an encrypted archive that is the one plain entry allowed. */
    @Test
    void aPlainDirectoryEntryIsAcceptedBesideEncryptedFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("with-folder.zip");
        try (ZipFile zipFile = new ZipFile(file.toFile(), password())) {
            zipFile.addStream(new ByteArrayInputStream(new byte[0]),
                    aes("folder/", AesVersion.TWO, AesKeyStrength.KEY_STRENGTH_256));
            zipFile.addStream(new ByteArrayInputStream(utf8("inside")),
                    aes("folder/file.txt", AesVersion.TWO, AesKeyStrength.KEY_STRENGTH_256));
        }
        byte[] zip = Files.readAllBytes(file);
        // (verify refuses it, as ZipStructure refuses every directory entry; a streaming read accepts it)
        List<TestArchives.Central> central = TestArchives.centralDirectory(zip);
        assertEquals(0, TestArchives.u16(zip, central.get(0).localHeaderOffset() + 6) & ZipStructure.FLAG_ENCRYPTED);
        assertEquals(ZipStructure.FLAG_ENCRYPTED,
                TestArchives.u16(zip, central.get(1).localHeaderOffset() + 6) & ZipStructure.FLAG_ENCRYPTED);

        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), password());
        assertEquals(List.of("folder/", "folder/file.txt"), List.copyOf(read.keySet()));
        assertEquals(0, read.get("folder/").length);
        assertArrayEquals(utf8("inside"), read.get("folder/file.txt"));
    }

    @Test
    void anAe1EntryWhoseCrcDisagreesIsCorrupt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, password(),
                new Zip4jConfig(StandardCharsets.UTF_8, 4096, true), new ZipModel())) {
            ZipParameters parameters = aes("ae1.txt", AesVersion.ONE, AesKeyStrength.KEY_STRENGTH_256);
            parameters.setWriteExtendedLocalFileHeader(true);
            zip.putNextEntry(parameters);
            zip.write(utf8("AE-1 keeps a CRC-32 of the plaintext"));
            zip.closeEntry();
        }
        byte[] zip = out.toByteArray();
        ZipStructure.Entry entry = ZipStructure.parse(ZipStructure.ByteSource.of(zip)).entries().get(0);
        assertEquals(1, entry.central().aes().vendorVersion());
        assertArrayEquals(utf8("AE-1 keeps a CRC-32 of the plaintext"),
                codec.readAll(new ByteArrayInputStream(zip), password()).get("ae1.txt"));

        // the descriptor's CRC: the HMAC still matches, only the CRC check can tell
        byte[] damaged = TestArchives.flipped(zip, Math.toIntExact(entry.descriptor().offset()) + 4);
        CorruptArchiveException failure = assertThrows(CorruptArchiveException.class,
                () -> codec.readAll(new ByteArrayInputStream(damaged), password()));
        assertTrue(failure.getMessage().contains("CRC-32 mismatch"), failure.getMessage());
    }

    /**
     * Without verify's structure check first, the streaming reader alone faces every damaged
     * byte: it must fail with an archive error or return exactly the original entries, never
     * something else, never another exception.
     */
    @Test
    void everyInvertedByteFailsAsDamageOrReadsTheOriginal() throws IOException {
        byte[] zip = TestArchives.small(password());
        Map<String, byte[]> original = codec.readAll(new ByteArrayInputStream(zip), password());

        List<String> problems = new ArrayList<>();
        int accepted = 0;
        for (int position = 0; position < zip.length; position++) {
            try {
                Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(TestArchives.flipped(zip, position)),
                        password());
                if (!read.keySet().equals(original.keySet())
                        || read.entrySet().stream().anyMatch(e -> !Arrays.equals(e.getValue(), original.get(e.getKey())))) {
                    problems.add("byte " + position + ": read different entries " + read.keySet());
                }
                accepted++;
            } catch (ArchiveException e) {
                Zip4jCodecTest.assertNoSecretIn(e, TestArchives.PASSWORD_TEXT);
            } catch (IOException | RuntimeException e) {
                problems.add("byte " + position + ": " + e);
            }
        }
        assertEquals(List.of(), problems);
        // only header fields a streaming read does not interpret (times, versions, central-only fields)
        assertTrue(accepted < zip.length / 2, accepted + " of " + zip.length + " inversions read without complaint");
    }

    @Test
    void everyTruncationIsCorrupt() throws IOException {
        byte[] zip = TestArchives.small(password());

        for (int length = 0; length < zip.length; length++) {
            byte[] truncated = Arrays.copyOf(zip, length);
            assertThrows(CorruptArchiveException.class,
                    () -> codec.readAll(new ByteArrayInputStream(truncated), password()), "cut to " + length);
        }
    }

    @Test
    void aTwentyMebibyteEntryIsReadStreamingAndQuickly(@TempDir Path dir) throws Exception {
        int size = 20 * 1024 * 1024;
        Path file = dir.resolve("blob.zip");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(file)) {
            codec.write(out, List.of(new EntrySource("attachment.bin", entryOut -> {
                SplittableRandom random = new SplittableRandom(5);
                byte[] chunk = new byte[1024 * 1024];
                for (int done = 0; done < size; done += chunk.length) {
                    random.nextBytes(chunk);
                    written.update(chunk);
                    entryOut.write(chunk);
                }
            }, ZipCodec.Compression.STORED_BLOCKS)), password());
        }

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long[] largestWrite = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                read.update(b, off, len);
                largestWrite[0] = Math.max(largestWrite[0], len);
            }
        };
        long started = System.nanoTime();
        try (var in = Files.newInputStream(file)) {
            codec.readEntry(in, "attachment.bin", password(), sink);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("AesZipReader read a 20 MiB incompressible entry in %.3f s: %.0f MB/s%n", seconds,
                size / 1e6 / seconds);
        assertArrayEquals(written.digest(), read.digest());
        assertTrue(largestWrite[0] <= Zip4jCodec.BUFFER_SIZE, "handed over in chunks of " + largestWrite[0]);
    }

    private static ZipParameters aes(String name, AesVersion version, AesKeyStrength strength) {
        ZipParameters parameters = new ZipParameters();
        parameters.setFileNameInZip(name);
        parameters.setCompressionMethod(CompressionMethod.DEFLATE);
        parameters.setEncryptFiles(true);
        parameters.setEncryptionMethod(EncryptionMethod.AES);
        parameters.setAesKeyStrength(strength);
        parameters.setAesVersion(version);
        return parameters;
    }
}
