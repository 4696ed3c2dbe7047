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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.model.FileHeader;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.AesVersion;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vaultkeep.storage.archive.ZipCodec.EntrySource;

class Zip4jCodecTest {

    private static final int BIG_ENTRY_SIZE = 20 * 1024 * 1024;

    private final Zip4jCodec codec = new Zip4jCodec();

    private static char[] passwordIf(boolean encrypted) {
        return encrypted ? password() : null;
    }

    private static Map<String, byte[]> sampleEntries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("repo.json", utf8("{\"formatVersion\":1,\"repoId\":\"3f2c\",\"app\":\"keyguard\"}"));
        entries.put("empty", new byte[0]);
        entries.put("attachments/6c1e/naïve file ✓.txt", utf8("unicode name and content: ÿ ✓ 日本"));
        entries.put("vault.json", utf8("{\"encrypted\":false,\"items\":[]}".repeat(5000)));
        return entries;
    }

    private static List<EntrySource> sources(Map<String, byte[]> entries) {
        return entries.entrySet().stream().map(e -> EntrySource.ofBytes(e.getKey(), e.getValue())).toList();
    }

    private byte[] write(char[] password, Map<String, byte[]> entries) throws IOException {
        return TestArchives.write(codec, password, sources(entries));
    }

    private static void assertSameEntries(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "entry names in order");
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void roundTripsSeveralEntries(boolean encrypted) throws IOException {
        Map<String, byte[]> entries = sampleEntries();
        byte[] zip = write(passwordIf(encrypted), entries);

        assertSameEntries(entries, codec.readAll(new ByteArrayInputStream(zip), passwordIf(encrypted)));
        assertEquals(List.copyOf(entries.keySet()), codec.verify(new ByteArrayInputStream(zip), passwordIf(encrypted)));
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        codec.readEntry(new ByteArrayInputStream(zip), "attachments/6c1e/naïve file ✓.txt", passwordIf(encrypted), one);
        assertArrayEquals(entries.get("attachments/6c1e/naïve file ✓.txt"), one.toByteArray());
        // the compressible entry really was deflated
        assertTrue(zip.length < entries.get("vault.json").length / 10, "archive of " + zip.length + " bytes");
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void streamsATwentyMegabyteEntry(boolean encrypted, @TempDir Path dir) throws Exception {
        char[] password = passwordIf(encrypted);
        Path file = dir.resolve("blob.zip");
        byte[] vault = utf8("{\"items\":[]}".repeat(1000));
        MessageDigest written = sha256();
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
            });
            codec.write(out, List.of(EntrySource.ofBytes("manifest.json", utf8("{}")),
                    EntrySource.ofBytes("empty", new byte[0]), big, EntrySource.ofBytes("vault.json", vault)), password);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Zip4jCodec wrote a 20 MiB random entry (encrypted=%s) in %.2f s: %.1f MiB/s%n",
                encrypted, seconds, 20 / seconds);
        assertTrue(reachedFileWhenHalfWritten.get() > BIG_ENTRY_SIZE / 4,
                "halfway through the entry only " + reachedFileWhenHalfWritten.get() + " bytes had reached the file");

        long fileSize = Files.size(file);
        MessageDigest read = sha256();
        AtomicLong consumedWhenFirstMegabyteArrived = new AtomicLong(-1);
        long readStarted = System.nanoTime();
        try (CountingInputStream in = new CountingInputStream(Files.newInputStream(file))) {
            OutputStream sink = new OutputStream() {
                private long received;

                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    read.update(b, off, len);
                    received += len;
                    if (received >= 1024 * 1024 && consumedWhenFirstMegabyteArrived.get() < 0) {
                        consumedWhenFirstMegabyteArrived.set(in.count());
                    }
                }
            };
            codec.readEntry(in, "attachment.bin", password, sink);
        }
        System.out.printf("Zip4jCodec read it back in %.2f s%n", (System.nanoTime() - readStarted) / 1e9);
        assertArrayEquals(written.digest(), read.digest());
        assertTrue(consumedWhenFirstMegabyteArrived.get() < 4L * 1024 * 1024,
                "the first MiB arrived only after " + consumedWhenFirstMegabyteArrived.get() + " of " + fileSize
                        + " bytes were read");

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            codec.readEntry(in, "empty", password, empty);
        }
        assertEquals(0, empty.size());
        ByteArrayOutputStream vaultOut = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            codec.readEntry(in, "vault.json", password, vaultOut);
        }
        assertArrayEquals(vault, vaultOut.toByteArray());
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(List.of("manifest.json", "empty", "attachment.bin", "vault.json"), codec.verify(in, password));
        }
    }

    @Test
    void encryptedArchiveIsWinZipAes256Ae2WithDeflate(@TempDir Path dir) throws IOException {
        Map<String, byte[]> entries = sampleEntries();
        Path file = dir.resolve("encrypted.zip");
        Files.write(file, write(password(), entries));

        try (ZipFile zipFile = new ZipFile(file.toFile(), password())) {
            List<FileHeader> headers = zipFile.getFileHeaders();
            assertEquals(List.copyOf(entries.keySet()), headers.stream().map(FileHeader::getFileName).toList());
            for (FileHeader header : headers) {
                String name = header.getFileName();
                assertTrue(header.isEncrypted(), name);
                assertEquals(EncryptionMethod.AES, header.getEncryptionMethod(), name);
                assertEquals(AesVersion.TWO, header.getAesExtraDataRecord().getAesVersion(), name);
                assertEquals(AesKeyStrength.KEY_STRENGTH_256, header.getAesExtraDataRecord().getAesKeyStrength(), name);
                assertEquals(CompressionMethod.DEFLATE, header.getAesExtraDataRecord().getCompressionMethod(), name);
                assertTrue(header.isDataDescriptorExists(), name + " has a data descriptor");
                try (InputStream in = zipFile.getInputStream(header)) {
                    assertArrayEquals(entries.get(name), in.readAllBytes(), name);
                }
            }
        }
    }

    /**
     * Decrypts an entry without zip4j, following the WinZip AE-2 specification: PBKDF2-HMAC-SHA1
     * over the UTF-8 password, 1000 iterations, 16-byte salt; AES-256 in CTR mode with a
     * little-endian counter from 1; HMAC-SHA1 over the ciphertext, truncated to 10 bytes.
     */
    @Test
    void encryptedEntryFollowsTheWinZipAesSpecification() throws Exception {
        byte[] content = utf8("{\"items\":[{\"name\":\"bank\",\"login\":{\"password\":\"hunter2\"}}]}".repeat(20));
        byte[] zip = write(password(), Map.of("vault.json", content));

        assertArrayEquals(content, decryptIndependently(zip, "vault.json", utf8(TestArchives.PASSWORD_TEXT)));
    }

    @Test
    void perObjectKeyIsTheBase64StringItself() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String keyBase64 = Base64.getEncoder().encodeToString(key);
        assertEquals(44, keyBase64.length());
        byte[] content = utf8("attachment bytes");
        byte[] zip = write(keyBase64.toCharArray(), Map.of("attachment.bin", content));

        assertArrayEquals(content, codec.readAll(new ByteArrayInputStream(zip), keyBase64.toCharArray())
                .get("attachment.bin"));
        assertEquals(List.of("attachment.bin"), codec.verify(new ByteArrayInputStream(zip), keyBase64.toCharArray()));
        // the ZIP password is the 44 ASCII characters, not the 32 decoded bytes
        assertArrayEquals(content, decryptIndependently(zip, "attachment.bin", utf8(keyBase64)));
    }

    @Test
    void plainArchiveOpensWithJavaUtilZip() throws IOException {
        Map<String, byte[]> entries = sampleEntries();
        long before = System.currentTimeMillis();
        byte[] zip = write(null, entries);
        long after = System.currentTimeMillis();

        Map<String, byte[]> read = new LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip),
                StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                read.put(entry.getName(), in.readAllBytes());
                assertEquals(ZipEntry.DEFLATED, entry.getMethod(), entry.getName());
                // DOS time: local time zone, 2-second resolution
                assertTrue(entry.getTime() >= before - 2000 && entry.getTime() <= after + 2000,
                        entry.getName() + " time " + entry.getTime() + " not in [" + before + ", " + after + "]");
            }
        }
        assertSameEntries(entries, read);
    }

    @Test
    void aPlainArchiveIsRefusedWhenAPasswordIsGiven() throws IOException {
        // an encrypted repository never holds plain entries: a plain one could be a forgery
        byte[] zip = write(null, sampleEntries());

        assertThrows(UnencryptedEntryException.class, () -> codec.readAll(new ByteArrayInputStream(zip), password()));
        assertThrows(UnencryptedEntryException.class, () -> codec.verify(new ByteArrayInputStream(zip), password()));
        assertThrows(UnencryptedEntryException.class, () -> codec.readEntry(new ByteArrayInputStream(zip), "vault.json",
                password(), java.io.OutputStream.nullOutputStream()));
    }

    @Test
    void wrongPasswordIsReportedAsSuch() throws IOException {
        byte[] zip = write(password(), sampleEntries());
        char[] wrong = "Tr0ub4dor&3-wrong".toCharArray();

        List<WrongPasswordException> failures = List.of(
                assertThrows(WrongPasswordException.class, () -> codec.readAll(new ByteArrayInputStream(zip), wrong)),
                assertThrows(WrongPasswordException.class, () -> codec.readEntry(new ByteArrayInputStream(zip),
                        "vault.json", wrong, OutputStream.nullOutputStream())),
                assertThrows(WrongPasswordException.class, () -> codec.verify(new ByteArrayInputStream(zip), wrong)));
        for (WrongPasswordException failure : failures) {
            assertTrue(failure.getMessage().startsWith("wrong password for "), failure.getMessage());
            assertNoSecretIn(failure, "Tr0ub4dor&3-wrong", TestArchives.PASSWORD_TEXT);
        }
    }

    @Test
    void encryptedArchiveWithoutPasswordNeedsOne() throws IOException {
        byte[] zip = write(password(), sampleEntries());

        List<WrongPasswordException> failures = List.of(
                assertThrows(WrongPasswordException.class, () -> codec.readAll(new ByteArrayInputStream(zip), null)),
                assertThrows(WrongPasswordException.class, () -> codec.readEntry(new ByteArrayInputStream(zip),
                        "vault.json", null, OutputStream.nullOutputStream())),
                assertThrows(WrongPasswordException.class, () -> codec.verify(new ByteArrayInputStream(zip), null)));
        for (WrongPasswordException failure : failures) {
            assertTrue(failure.getMessage().startsWith("password required: entry #1 is encrypted"),
                    failure.getMessage());
        }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void missingEntryIsNamed(boolean encrypted) throws IOException {
        byte[] zip = write(passwordIf(encrypted), sampleEntries());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ArchiveEntryMissingException missing = assertThrows(ArchiveEntryMissingException.class,
                () -> codec.readEntry(new ByteArrayInputStream(zip), "index.json", passwordIf(encrypted), out));
        assertTrue(missing.getMessage().contains("'index.json'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("'vault.json'"), "lists what is there: " + missing.getMessage());
        assertEquals(0, out.size());
        assertNoSecretIn(missing, TestArchives.PASSWORD_TEXT);
    }

    @Test
    void readEntryWritesOnlyThatEntry() throws IOException {
        Map<String, byte[]> entries = sampleEntries();
        byte[] zip = write(password(), entries);
        for (String name : entries.keySet()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            codec.readEntry(new ByteArrayInputStream(zip), name, password(), out);
            assertArrayEquals(entries.get(name), out.toByteArray(), name);
        }
    }

    @Test
    void callerStreamsAreNeitherClosedNorReplaced() throws IOException {
        CloseRecordingOutputStream out = new CloseRecordingOutputStream();
        codec.write(out, sources(sampleEntries()), password());
        assertFalse(out.closed, "write closed the caller's output stream");
        assertTrue(out.size() > 0);

        CloseRecordingInputStream in = new CloseRecordingInputStream(out.toByteArray());
        codec.readAll(in, password());
        assertFalse(in.closed, "readAll closed the caller's input stream");

        CloseRecordingOutputStream entryOut = new CloseRecordingOutputStream();
        CloseRecordingInputStream in2 = new CloseRecordingInputStream(out.toByteArray());
        codec.readEntry(in2, "repo.json", password(), entryOut);
        assertFalse(in2.closed || entryOut.closed, "readEntry closed a caller's stream");

        CloseRecordingInputStream in3 = new CloseRecordingInputStream(out.toByteArray());
        codec.verify(in3, password());
        assertFalse(in3.closed, "verify closed the caller's input stream");
    }

    @Test
    void entryWriterMayWriteByteByByteAndCloseItsStream() throws IOException {
        byte[] content = utf8("written one byte at a time, then closed");
        byte[] zip = TestArchives.write(codec, password(), List.of(
                new EntrySource("bytes.txt", out -> {
                    for (byte b : content) {
                        out.write(b);
                    }
                    out.close();
                }),
                EntrySource.ofBytes("after.txt", utf8("still fine"))));

        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), password());
        assertArrayEquals(content, read.get("bytes.txt"));
        assertArrayEquals(utf8("still fine"), read.get("after.txt"));
    }

    @Test
    void invalidNamesAndPasswordsAreRejectedBeforeWriting() {
        for (List<EntrySource> entries : List.of(
                List.of(EntrySource.ofBytes("", new byte[1])),
                List.of(EntrySource.ofBytes("  ", new byte[1])),
                List.of(EntrySource.ofBytes("attachments/", new byte[1])),
                List.of(EntrySource.ofBytes("a\\", new byte[1])),
                List.of(EntrySource.ofBytes("a", new byte[1]), EntrySource.ofBytes("a", new byte[2])))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThrows(IllegalArgumentException.class, () -> codec.write(out, entries, null), entries.toString());
            assertEquals(0, out.size(), "nothing written for " + entries);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IllegalArgumentException.class,
                () -> codec.write(out, List.of(EntrySource.ofBytes("a", new byte[1])), new char[0]));
        assertThrows(IllegalArgumentException.class,
                () -> codec.readAll(new ByteArrayInputStream(new byte[22]), new char[0]));
        assertEquals(0, out.size());
    }

    @Test
    void failingEntryWriterPropagatesAndLeavesNoValidArchive() throws IOException {
        IOException boom = new IOException("vault export failed");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IOException thrown = assertThrows(IOException.class, () -> codec.write(out, List.of(
                EntrySource.ofBytes("manifest.json", utf8("{}")),
                new EntrySource("vault.json", entryOut -> {
                    entryOut.write(new byte[100_000]);
                    throw boom;
                })), password()));

        assertSame(boom, thrown);
        assertThrows(CorruptArchiveException.class,
                () -> codec.verify(new ByteArrayInputStream(out.toByteArray()), password()));
    }

    @Test
    void failureOfTheInputStreamItselfIsNotReportedAsDamage() throws IOException {
        byte[] zip = write(password(), sampleEntries());
        IOException unplugged = new IOException("network unplugged");
        for (int failAt : new int[] {0, 10, 200, zip.length - 5}) {
            IOException readAll = assertThrows(IOException.class,
                    () -> codec.readAll(failingAfter(zip, failAt, unplugged), password()));
            assertSame(unplugged, readAll, "readAll, failing at " + failAt);
            IOException readEntry = assertThrows(IOException.class, () -> codec.readEntry(
                    failingAfter(zip, failAt, unplugged), "vault.json", password(), OutputStream.nullOutputStream()));
            assertSame(unplugged, readEntry, "readEntry, failing at " + failAt);
            IOException verify = assertThrows(IOException.class,
                    () -> codec.verify(failingAfter(zip, failAt, unplugged), password()));
            assertSame(unplugged, verify, "verify, failing at " + failAt);
        }
    }

    @Test
    void failureOfTheOutputStreamIsNotReportedAsDamage() throws IOException {
        byte[] zip = write(password(), sampleEntries());
        IOException diskFull = new IOException("disk full");
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw diskFull;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw diskFull;
            }
        };

        IOException thrown = assertThrows(IOException.class,
                () -> codec.readEntry(new ByteArrayInputStream(zip), "vault.json", password(), failing));
        assertSame(diskFull, thrown);
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void readsArchivesWrittenWithZip4jsZipFileApi(boolean encrypted, @TempDir Path dir) throws IOException {
        Path source = dir.resolve("source.txt");
        Files.writeString(source, "added from a file: zip4j writes it without a data descriptor");
        Path file = dir.resolve("other-writer.zip");
        Map<String, byte[]> expected = new LinkedHashMap<>();
        try (ZipFile zipFile = new ZipFile(file.toFile(), passwordIf(encrypted))) {
            for (Map.Entry<String, byte[]> entry : sampleEntries().entrySet()) {
                zipFile.addStream(new ByteArrayInputStream(entry.getValue()), zip4jParameters(entry.getKey(), encrypted));
                expected.put(entry.getKey(), entry.getValue());
            }
            zipFile.addFile(source.toFile(), zip4jParameters("from-file.txt", encrypted));
            expected.put("from-file.txt", Files.readAllBytes(source));
        }
        byte[] zip = Files.readAllBytes(file);

        assertSameEntries(expected, codec.readAll(new ByteArrayInputStream(zip), passwordIf(encrypted)));
        assertEquals(List.copyOf(expected.keySet()), codec.verify(new ByteArrayInputStream(zip), passwordIf(encrypted)));
    }

    @Test
    void readsArchivesWrittenWithJavaUtilZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] stored = utf8("stored, not deflated");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("deflated.json"));
            out.write(utf8("{\"a\":1}".repeat(100)));
            out.closeEntry();
            ZipEntry storedEntry = new ZipEntry("stored.txt");
            storedEntry.setMethod(ZipEntry.STORED);
            storedEntry.setSize(stored.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(stored);
            storedEntry.setCrc(crc.getValue());
            out.putNextEntry(storedEntry);
            out.write(stored);
            out.closeEntry();
        }
        byte[] zip = bytes.toByteArray();

        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), null);
        assertArrayEquals(utf8("{\"a\":1}".repeat(100)), read.get("deflated.json"));
        assertArrayEquals(stored, read.get("stored.txt"));
        assertEquals(List.of("deflated.json", "stored.txt"), codec.verify(new ByteArrayInputStream(zip), null));
    }

    @Test
    void emptyArchiveRoundTrips() throws IOException {
        byte[] zip = write(password(), Map.of());

        assertEquals(22, zip.length, "just an end record");
        assertEquals(Map.of(), codec.readAll(new ByteArrayInputStream(zip), password()));
        assertEquals(List.of(), codec.verify(new ByteArrayInputStream(zip), password()));
        assertThrows(ArchiveEntryMissingException.class, () -> codec.readEntry(new ByteArrayInputStream(zip),
                "repo.json", password(), OutputStream.nullOutputStream()));
    }

    // ---- helpers -------------------------------------------------------------------------------

    static void assertNoSecretIn(Throwable failure, String... secrets) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (Throwable s : t.getSuppressed()) {
                assertNoSecretIn(s, secrets);
            }
            String message = String.valueOf(t.getMessage());
            for (String secret : secrets) {
                assertFalse(message.contains(secret), "message reveals a password: " + message);
            }
        }
    }

    private static ZipParameters zip4jParameters(String name, boolean encrypted) {
        ZipParameters parameters = new ZipParameters();
        parameters.setFileNameInZip(name);
        parameters.setCompressionMethod(CompressionMethod.DEFLATE);
        if (encrypted) {
            parameters.setEncryptFiles(true);
            parameters.setEncryptionMethod(EncryptionMethod.AES);
            parameters.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
            parameters.setAesVersion(AesVersion.TWO);
        }
        return parameters;
    }

    /** Reads entry {@code name} from its raw bytes with the JDK only. */
    static byte[] decryptIndependently(byte[] zip, String name, byte[] passwordBytes) throws Exception {
        TestArchives.Central central = TestArchives.central(zip, name);
        int local = central.localHeaderOffset();
        assertEquals(0x0001, TestArchives.u16(zip, local + 6) & 0x0001, "encrypted flag");
        assertEquals(0x0008, TestArchives.u16(zip, local + 6) & 0x0008, "data descriptor flag");
        assertEquals(99, TestArchives.u16(zip, local + 8), "method 99 (WinZip AES)");
        int nameLength = TestArchives.u16(zip, local + 26);
        byte[] extra = Arrays.copyOfRange(zip, local + 30 + nameLength,
                local + 30 + nameLength + TestArchives.u16(zip, local + 28));
        // 0x9901, 7 bytes: vendor version 2 (AE-2), "AE", strength 3 (AES-256), actual method 8 (deflate)
        assertEquals("0199070002004145030800", HexFormat.of().formatHex(extra));

        int data = central.dataOffset(zip);
        int compressedSize = (int) central.compressedSize();
        byte[] salt = Arrays.copyOfRange(zip, data, data + 16);
        byte[] verifier = Arrays.copyOfRange(zip, data + 16, data + 18);
        byte[] ciphertext = Arrays.copyOfRange(zip, data + 18, data + compressedSize - 10);
        byte[] storedMac = Arrays.copyOfRange(zip, data + compressedSize - 10, data + compressedSize);
        // AE-2 stores no CRC: the data descriptor's CRC field is 0
        assertEquals(0x08074b50L, TestArchives.u32(zip, data + compressedSize));
        assertEquals(0L, TestArchives.u32(zip, data + compressedSize + 4));

        byte[] derived = pbkdf2HmacSha1(passwordBytes, salt, 1000, 66);
        assertArrayEquals(Arrays.copyOfRange(derived, 64, 66), verifier, "password verifier");
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(derived, 32, 32, "HmacSHA1"));
        assertArrayEquals(Arrays.copyOf(hmac.doFinal(ciphertext), 10), storedMac, "authentication code");

        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived, 0, 32, "AES"));
        byte[] deflated = new byte[ciphertext.length];
        byte[] counter = new byte[16];
        for (int block = 0; block * 16 < ciphertext.length; block++) {
            long n = block + 1L;
            for (int i = 0; i < 8; i++) {
                counter[i] = (byte) (n >>> (8 * i)); // little-endian, unlike standard CTR
            }
            byte[] keystream = aes.doFinal(counter);
            for (int i = block * 16; i < Math.min(ciphertext.length, block * 16 + 16); i++) {
                deflated[i] = (byte) (ciphertext[i] ^ keystream[i - block * 16]);
            }
        }
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            // the last call may only read an empty final block (level 0 ends with one)
            assertTrue(n > 0 || inflater.finished() || !inflater.needsInput(), "inflater stalled");
            plain.write(buffer, 0, n);
        }
        inflater.end();
        return plain.toByteArray();
    }

    private static byte[] pbkdf2HmacSha1(byte[] password, byte[] salt, int iterations, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password, "HmacSHA1"));
        byte[] result = new byte[length];
        for (int block = 1, done = 0; done < length; block++) {
            mac.update(salt);
            byte[] u = mac.doFinal(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8),
                    (byte) block});
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, result, done, n);
            done += n;
        }
        return result;
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    private static InputStream failingAfter(byte[] zip, int failAt, IOException failure) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= failAt) {
                    throw failure;
                }
                int n = Math.min(len, failAt - position);
                System.arraycopy(zip, position, b, off, n);
                position += n;
                return n;
            }
        };
    }


    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }

    private static final class CloseRecordingOutputStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class CloseRecordingInputStream extends ByteArrayInputStream {
        boolean closed;

        CloseRecordingInputStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void incompressibleContentIsWrittenAsStoredDeflateBlocksAndStillRoundTrips() throws IOException {
        byte[] random = new byte[300_000];
        new java.util.Random(5).nextBytes(random);
        assertEquals(ZipCodec.Compression.STORED_BLOCKS, ZipCodec.Compression.forSample(random, 65_536));
        byte[] text = "the same words again and again ".repeat(3000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ZipCodec.Compression.NORMAL, ZipCodec.Compression.forSample(text, text.length));

        for (char[] password : new char[][] {null, password()}) {
            java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
            codec.write(zip, List.of(new EntrySource("attachment.bin", out -> out.write(random), ZipCodec.Compression.STORED_BLOCKS)), password);
            byte[] bytes = zip.toByteArray();
            // level 0 is still the DEFLATE method (8), as the format requires; it just does not compress
            net.lingala.zip4j.model.LocalFileHeader header;
            try (net.lingala.zip4j.io.inputstream.ZipInputStream in = new net.lingala.zip4j.io.inputstream.ZipInputStream(
                    new ByteArrayInputStream(bytes), password)) {
                header = in.getNextEntry();
            }
            assertEquals(password == null ? net.lingala.zip4j.model.enums.CompressionMethod.DEFLATE
                    : net.lingala.zip4j.model.enums.CompressionMethod.AES_INTERNAL_ONLY, header.getCompressionMethod());
            org.junit.jupiter.api.Assertions.assertArrayEquals(random, codec.readAll(new ByteArrayInputStream(bytes), password).get("attachment.bin"));
            assertEquals(List.of("attachment.bin"), codec.verify(new ByteArrayInputStream(bytes), password));
        }
    }
}
