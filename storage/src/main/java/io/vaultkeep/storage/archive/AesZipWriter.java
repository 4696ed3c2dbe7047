package io.vaultkeep.storage.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.Deflater;


import io.vaultkeep.storage.archive.ZipCodec.EntrySource;

/**
 * Writes a whole archive of WinZip AES-256 (AE-2) entries on the JDK's crypto ({@link WinZipAes}),
 * streaming, in the layout zip4j 2.11.6's {@code ZipOutputStream} gives Keyguard's archives: per
 * entry a local header (method 99, flags encrypted + data descriptor + UTF-8 names, CRC and sizes
 * zero, the 0x9901 extra field: AE-2, "AE", AES-256, DEFLATE), then salt, password verifier,
 * DEFLATE data encrypted, authentication code, then a signed data descriptor (CRC 0, as AE-2
 * requires); then the central directory and the end record. zip4j's ZipFile and ZipInputStream
 * read it, and {@link ZipStructure} accepts it.
 *
 * <p>Zip64 is not written: an entry, or the archive up to its end record, must stay under 4 GiB,
 * and an archive under 65,535 entries. (zip4j's streaming writer puts a larger entry's sizes
 * truncated into the data descriptor, so such archives could never be read back anyway.)
 */
final class AesZipWriter {

    /** zip4j's "version needed" for AES entries: 5.1. */
    private static final int VERSION_NEEDED = 51;
    /** Unix (3), specification 5.1: what zip4j records on the systems Keyguard runs on. */
    private static final int VERSION_MADE_BY = 3 << 8 | 51;
    private static final int FLAGS =
            ZipStructure.FLAG_ENCRYPTED | ZipStructure.FLAG_DATA_DESCRIPTOR | ZipStructure.FLAG_UTF8;
    /** A regular file, rw-r--r--, in the Unix half of the external attributes, as zip4j writes it. */
    private static final int EXTERNAL_ATTRIBUTES = 0100644 << 16;
    private static final int AES_EXTRA_LENGTH = 4 + 7;
    private static final int DATA_DESCRIPTOR_LENGTH = 16;
    private static final long MAX32 = 0xFFFFFFFFL;
    private static final int MAX_ENTRIES = 0xFFFF;
    /** zip4j's NORMAL level (its levels run 0 to 9 like zlib's; NORMAL is 5, not zlib's default 6). */
    static final int NORMAL_LEVEL = 5;

    private final OutputStream out;
    private final char[] password;
    private final int dosDateTime;
    /** Large writes are deflated in chunks of this size on helper threads too; 0: never. */
    private final int chunkSize;
    private final List<WrittenEntry> written = new ArrayList<>();
    private final byte[] input = new byte[Zip4jCodec.BUFFER_SIZE];
    private final byte[] output = new byte[Zip4jCodec.BUFFER_SIZE];
    private long position;

    /** What the central directory needs of an entry already written. */
    private record WrittenEntry(byte[] rawName, long compressedSize, long size, long localHeaderOffset) {
    }

    private AesZipWriter(OutputStream out, char[] password, long lastModified, int chunkSize) {
        this.out = out;
        this.chunkSize = chunkSize;
        this.password = password;
        this.dosDateTime = dosDateTime(lastModified);
    }

    /**
     * Writes the archive to {@code out} (neither flushed nor closed). When an entry's writer fails,
     * its exception propagates and no central directory is written, so the bytes are no valid archive.
     */
    static void write(OutputStream out, List<EntrySource> entries, char[] password, long lastModified)
            throws IOException {
        write(out, entries, password, lastModified, ChunkedDeflate.CHUNK_SIZE);
    }

    /**
     * As {@link #write(OutputStream, List, char[], long)}, deflating large writes in chunks of
     * {@code chunkSize} bytes, or with 0 as one stream on the caller's thread (to measure the difference).
     */
    static void write(OutputStream out, List<EntrySource> entries, char[] password, long lastModified, int chunkSize)
            throws IOException {
        Objects.requireNonNull(password, "password");
        if (chunkSize != 0 && chunkSize < ChunkedDeflate.WINDOW) {
            throw new IllegalArgumentException("chunks of " + chunkSize + " bytes: 0 (none) or at least "
                    + ChunkedDeflate.WINDOW);
        }
        if (entries.size() >= MAX_ENTRIES) {
            throw new IllegalArgumentException(entries.size() + " entries: encrypted archives are written without"
                    + " Zip64, so they hold at most " + (MAX_ENTRIES - 1));
        }
        AesZipWriter writer = new AesZipWriter(out, password, lastModified, chunkSize);
        for (EntrySource entry : entries) {
            writer.writeEntry(entry);
        }
        writer.writeCentralDirectory();
    }

    private void writeEntry(EntrySource entry) throws IOException {
        byte[] rawName = entry.name().getBytes(StandardCharsets.UTF_8);
        long localHeaderOffset = position;
        checkOffset(localHeaderOffset, "entry '" + entry.name() + "' would start");

        ByteBuffer header = littleEndian(30 + rawName.length + AES_EXTRA_LENGTH);
        header.putInt((int) ZipStructure.LOCAL_HEADER_SIGNATURE)
                .putShort((short) VERSION_NEEDED)
                .putShort((short) FLAGS)
                .putShort((short) ZipStructure.METHOD_AES)
                .putInt(dosDateTime)
                .putInt(0) // CRC: AE-2 stores none
                .putInt(0) // compressed size, in the data descriptor
                .putInt(0) // uncompressed size, in the data descriptor
                .putShort((short) rawName.length)
                .putShort((short) AES_EXTRA_LENGTH)
                .put(rawName);
        putAesExtraField(header);
        emit(header.array(), 0, header.position());

        byte[] salt = WinZipAes.newSalt();
        emit(salt, 0, salt.length);
        // the keys (and the verifier after the salt) come when the first ciphertext does: a large
        // write derives them while its first chunks are being deflated

        int level = entry.compression() == ZipCodec.Compression.STORED_BLOCKS ? Deflater.NO_COMPRESSION : NORMAL_LEVEL;
        EntryStream stream = new EntryStream(entry.name(), level, salt);
        byte[] code;
        try {
            entry.writer().writeTo(stream);
            stream.finish();
            code = WinZipAes.authenticationCode(stream.crypto.mac());
        } finally {
            stream.end();
        }
        emit(code, 0, code.length);

        long compressedSize = WinZipAes.SALT_LENGTH + WinZipAes.PASSWORD_VERIFIER_LENGTH + stream.ciphertextSize
                + WinZipAes.AUTHENTICATION_CODE_LENGTH;
        checkSize(compressedSize, entry.name(), "encrypted");
        ByteBuffer descriptor = littleEndian(DATA_DESCRIPTOR_LENGTH)
                .putInt((int) ZipStructure.DATA_DESCRIPTOR_SIGNATURE)
                .putInt(0) // CRC: AE-2 stores none
                .putInt((int) compressedSize)
                .putInt((int) stream.size);
        emit(descriptor.array(), 0, DATA_DESCRIPTOR_LENGTH);
        written.add(new WrittenEntry(rawName, compressedSize, stream.size, localHeaderOffset));
    }

    private void writeCentralDirectory() throws IOException {
        long centralDirectoryOffset = position;
        checkOffset(centralDirectoryOffset, "the central directory would start");
        for (WrittenEntry entry : written) {
            ByteBuffer header = littleEndian(46 + entry.rawName().length + AES_EXTRA_LENGTH);
            header.putInt((int) ZipStructure.CENTRAL_HEADER_SIGNATURE)
                    .putShort((short) VERSION_MADE_BY)
                    .putShort((short) VERSION_NEEDED)
                    .putShort((short) FLAGS)
                    .putShort((short) ZipStructure.METHOD_AES)
                    .putInt(dosDateTime)
                    .putInt(0) // CRC: AE-2 stores none
                    .putInt((int) entry.compressedSize())
                    .putInt((int) entry.size())
                    .putShort((short) entry.rawName().length)
                    .putShort((short) AES_EXTRA_LENGTH)
                    .putShort((short) 0) // comment length
                    .putShort((short) 0) // disk number
                    .putShort((short) 0) // internal attributes
                    .putInt(EXTERNAL_ATTRIBUTES)
                    .putInt((int) entry.localHeaderOffset())
                    .put(entry.rawName());
            putAesExtraField(header);
            emit(header.array(), 0, header.position());
        }
        long centralDirectorySize = position - centralDirectoryOffset;
        checkOffset(position, "the end record would start");
        ByteBuffer end = littleEndian(ZipStructure.END_LENGTH)
                .putInt((int) ZipStructure.END_SIGNATURE)
                .putShort((short) 0) // this disk
                .putShort((short) 0) // disk where the central directory starts
                .putShort((short) written.size())
                .putShort((short) written.size())
                .putInt((int) centralDirectorySize)
                .putInt((int) centralDirectoryOffset)
                .putShort((short) 0); // comment length
        emit(end.array(), 0, ZipStructure.END_LENGTH);
    }

    private static void putAesExtraField(ByteBuffer header) {
        header.putShort((short) ZipStructure.AES_EXTRA_ID)
                .putShort((short) 7)
                .putShort((short) WinZipAes.VENDOR_VERSION_AE2)
                .put((byte) 'A').put((byte) 'E')
                .put((byte) WinZipAes.KEY_STRENGTH_256)
                .putShort((short) ZipStructure.METHOD_DEFLATED);
    }

    private void emit(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        position += length;
    }

    private static ByteBuffer littleEndian(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkOffset(long offset, String what) throws IOException {
        if (offset >= MAX32) {
            throw new IOException(what + " at offset " + offset + ": encrypted archives are written without Zip64,"
                    + " so they must stay under 4 GiB");
        }
    }

    private static void checkSize(long size, String name, String what) throws IOException {
        if (size >= MAX32) {
            throw new IOException("entry '" + name + "' is 4 GiB or more " + what + ": encrypted archives are"
                    + " written without Zip64, so an entry must stay under 4 GiB");
        }
    }

    /** MS-DOS date and time in the local time zone, as zip4j (and every ZIP tool) records them. */
    static int dosDateTime(long epochMillis) {
        LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneId.systemDefault());
        if (time.getYear() < 1980) {
            return 1 << 21 | 1 << 16; // 1980-01-01 00:00, the earliest a DOS date can say
        }
        return (time.getYear() - 1980) << 25 | time.getMonthValue() << 21 | time.getDayOfMonth() << 16
                | time.getHour() << 11 | time.getMinute() << 5 | time.getSecond() >> 1;
    }

    /**
     * One entry's data on its way out: deflated, encrypted and authenticated in chunks of the
     * writer's buffer size; a large write (a vault) is deflated in {@link ChunkedDeflate}'s chunks
     * on helper threads too, into the same single DEFLATE stream. Closing it does nothing (the writer finishes the entry), so an entry
     * writer may close the stream it is given.
     */
    private final class EntryStream extends OutputStream {
        private final String name;
        private final int level;
        private final byte[] salt;
        private final Deflater deflater;
        /** Keyed when the first ciphertext comes (see deriveKeys). */
        private WinZipAes.EntryCrypto crypto;
        /** No input since the deflater was made or reset: a large write may then be deflated in chunks. */
        private boolean deflaterFresh = true;
        /** The last 32 KiB of a write deflated in chunks: what the stream's DEFLATE window holds after it. */
        private byte[] history = new byte[0];
        private int inputLength;
        private int outputLength;
        private long size;
        private long ciphertextSize;
        private boolean finished;

        EntryStream(String name, int level, byte[] salt) {
            this.name = name;
            this.level = level;
            this.salt = salt;
            this.deflater = new Deflater(level, true);
        }

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            if (inputLength == input.length) {
                deflateBufferedInput();
            }
            input[inputLength++] = (byte) b;
            countInput(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            checkOpen();
            if (len >= ChunkedDeflate.THRESHOLD && chunkSize > 0 && level != Deflater.NO_COMPRESSION
                    && inputLength == 0 && deflaterFresh) {
                deflateInChunks(b, off, len);
                countInput(len);
                return;
            }
            if (len > input.length - inputLength) {
                deflateBufferedInput();
            }
            if (len >= input.length) {
                deflate(b, off, len); // large writes skip the copy
            } else {
                System.arraycopy(b, off, input, inputLength, len);
                inputLength += len;
            }
            countInput(len);
        }

        @Override
        public void close() {
            // the writer finishes the entry
        }

        void finish() throws IOException {
            checkOpen();
            deflateBufferedInput();
            deflater.finish();
            while (!deflater.finished()) {
                drainDeflater();
            }
            sealOutput();
            finished = true;
        }

        void end() {
            deflater.end();
            if (crypto != null) {
                crypto.close();
            }
        }

        private void checkOpen() throws IOException {
            if (finished) {
                throw new IOException("entry '" + name + "' is already finished");
            }
        }

        private void countInput(int length) throws IOException {
            size += length;
            checkSize(size, name, "uncompressed");
        }

        private void deflateBufferedInput() throws IOException {
            if (inputLength > 0) {
                deflate(input, 0, inputLength);
                inputLength = 0;
            }
        }

        /**
         * Deflates a large write on the helper threads as well as this one, while this one derives
         * the keys and then encrypts each chunk as it comes. The chunks end byte-aligned, so the
         * entry's deflater, reset and primed with their last 32 KiB, carries the stream on.
         */
        private void deflateInChunks(byte[] b, int off, int len) throws IOException {
            ChunkedDeflate.deflate(b, off, len, history, level, chunkSize, this::deriveKeys,
                    this::seal);
            history = Arrays.copyOfRange(b, off + len - ChunkedDeflate.WINDOW, off + len);
            deflater.reset();
            deflater.setDictionary(history);
        }

        private void deflate(byte[] b, int off, int len) throws IOException {
            deflaterFresh = false;
            deflater.setInput(b, off, len);
            while (!deflater.needsInput()) {
                drainDeflater();
            }
        }

        private void drainDeflater() throws IOException {
            outputLength += deflater.deflate(output, outputLength, output.length - outputLength);
            if (outputLength == output.length) {
                sealOutput();
            }
        }

        /** Encrypts the deflated bytes in place, authenticates the ciphertext, and writes it. */
        private void sealOutput() throws IOException {
            seal(output, outputLength);
            outputLength = 0;
        }

        private void seal(byte[] deflated, int length) throws IOException {
            deriveKeys();
            crypto.keystream().apply(deflated, 0, length);
            crypto.mac().update(deflated, 0, length);
            emit(deflated, 0, length);
            ciphertextSize += length;
            checkSize(ciphertextSize + WinZipAes.OVERHEAD, name, "encrypted");
        }

        /** Once per entry, before its first ciphertext: PBKDF2, then the verifier right after the salt. */
        private void deriveKeys() throws IOException {
            if (crypto != null) {
                return;
            }
            WinZipAes.Keys keys = WinZipAes.deriveKeys(password, salt);
            emit(new byte[] {(byte) keys.passwordVerifier(), (byte) (keys.passwordVerifier() >>> 8)}, 0,
                    WinZipAes.PASSWORD_VERIFIER_LENGTH);
            crypto = WinZipAes.EntryCrypto.open(keys);
        }
    }
}
