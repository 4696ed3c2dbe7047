package io.vaultkeep.storage.archive;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.DataFormatException;

import net.lingala.zip4j.exception.ZipException;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import net.lingala.zip4j.model.Zip4jConfig;
import net.lingala.zip4j.model.ZipModel;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.CompressionLevel;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * {@link ZipCodec} in the format of zip4j 2.11.6, which is what Keyguard uses: every entry DEFLATE
 * (normal level) with a data descriptor, and with a password WinZip AES-256 AE-2 (PBKDF2-HMAC-SHA1,
 * 1000 iterations, 16-byte salt, password bytes UTF-8). Entry times are the time of the write.
 * Plain archives are written and read by zip4j's streaming {@link ZipOutputStream} /
 * {@link ZipInputStream}; encrypted ones by {@link AesZipWriter} / {@link AesZipReader}, in the
 * same layout but on the JDK's AES and HMAC, which use the CPU's instructions (zip4j's pure-Java
 * AES runs at a tenth of disk speed). zip4j, and so Keyguard, reads them like its own.
 *
 * <p>Reading streams: each entry is always read to its end, because only then is its CRC-32 or
 * AES authentication code checked; afterwards the archive's end records
 * and central directory are checked against the entries that were read, so a cut-off archive or a
 * damaged local header is not mistaken for a shorter archive. {@link #verify} additionally checks
 * the whole structure with {@link ZipStructure}.
 *
 * <p>Errors: a wrong password, or no password for an encrypted entry, is a
 * {@link WrongPasswordException}; damage of any kind a {@link CorruptArchiveException}; a failure
 * of the given input or output stream itself propagates unchanged. A corrupted AES salt or
 * password verifier is indistinguishable from a wrong password. Messages never contain the
 * password. An empty password is rejected ({@code null} means "no password").
 */
public final class Zip4jCodec implements ZipCodec {

    /** Buffer for deflating and copying; large enough that a big blob moves at disk speed. */
    static final int BUFFER_SIZE = 64 * 1024;
    /**
     * zip4j's read buffer for plain archives, at its default of 4096 bytes (a larger one broke its
     * AES check, 2.11.6 MacBasedPRF: only the default is known to be safe); raw input is still read
     * in {@link #BUFFER_SIZE} chunks below it.
     */
    private static final int ZIP4J_READ_BUFFER_SIZE = 4096;
    /** {@link #verify} keeps archives up to this size in memory and spools larger ones to a private file. */
    static final int DEFAULT_MEMORY_LIMIT = 16 * 1024 * 1024;
    /** The last bytes of a streamed archive, kept to check its end records (at most 65,557 + 76 bytes). */
    private static final int TAIL_CAPACITY = 128 * 1024;
    private static final int MAX_NAMES_IN_MESSAGE = 10;

    private final int memoryLimit;
    private final Path spoolParent;

    public Zip4jCodec() {
        this(DEFAULT_MEMORY_LIMIT, null);
    }

    /** For tests: a different in-memory limit for {@link #verify}, and where it spools (null: system temp). */
    Zip4jCodec(int memoryLimit, Path spoolParent) {
        if (memoryLimit < 0 || memoryLimit > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("memory limit out of range: " + memoryLimit);
        }
        this.memoryLimit = memoryLimit;
        this.spoolParent = spoolParent;
    }

    @Override
    public void write(OutputStream out, List<EntrySource> entries, char[] passwordOrNull) throws IOException {
        Objects.requireNonNull(out, "out");
        checkEntries(entries);
        checkPassword(passwordOrNull);
        long now = System.currentTimeMillis();
        OutputStream target = new BufferedOutputStream(new KeepOpenOutputStream(out), BUFFER_SIZE);
        if (passwordOrNull != null) {
            // the same format as zip4j's, but on the JDK's AES: zip4j's own runs at a tenth of disk speed
            AesZipWriter.write(target, entries, passwordOrNull, now);
            target.flush();
            return;
        }
        // not try-with-resources: after a failure, closing would still finish a valid-looking archive
        ZipOutputStream zip = new ZipOutputStream(target, passwordOrNull, config(BUFFER_SIZE), new ZipModel());
        for (EntrySource entry : entries) {
            zip.putNextEntry(parameters(entry.name(), now, entry.compression()));
            // buffered, because zip4j hands every write straight to its deflater
            OutputStream entryOut = new BufferedOutputStream(new KeepOpenOutputStream(zip), BUFFER_SIZE);
            entry.writer().writeTo(entryOut);
            entryOut.flush();
            zip.closeEntry();
        }
        zip.close(); // writes the central directory; closes (flushes) target but not out
    }

    @Override
    public Map<String, byte[]> readAll(InputStream in, char[] passwordOrNull, EntryLimits limits) throws IOException {
        Objects.requireNonNull(in, "in");
        checkPassword(passwordOrNull);
        Map<String, EntryBuffer> contents = new LinkedHashMap<>();
        readEntries(in, passwordOrNull, limits, name -> {
            long expected = Math.min(limits.expected().applyAsLong(name), Math.min(limits.perEntry().applyAsLong(name), limits.total()));
            EntryBuffer content = new EntryBuffer(expected);
            contents.put(name, content);
            return content;
        });
        Map<String, byte[]> result = new LinkedHashMap<>();
        contents.forEach((name, content) -> result.put(name, content.bytes()));
        return Collections.unmodifiableMap(result);
    }

    @Override
    public void readEntry(InputStream in, String entryName, char[] passwordOrNull, OutputStream out, EntryLimits limits)
            throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(entryName, "entryName");
        Objects.requireNonNull(out, "out");
        checkPassword(passwordOrNull);
        // the rest of the archive is read and checked too: a damaged archive fails as a whole
        List<EntryRead> entries = readEntries(in, passwordOrNull, limits, name -> name.equals(entryName) ? out : null);
        if (entries.stream().noneMatch(entry -> entry.name().equals(entryName))) {
            throw new ArchiveEntryMissingException("entry '" + entryName + "' is not in the archive, which holds "
                    + namesForMessage(entries.stream().map(EntryRead::name).toList()));
        }
    }

    @Override
    public List<String> verify(InputStream in, char[] passwordOrNull, EntryLimits limits) throws IOException {
        return verified(in, passwordOrNull, limits, name -> null).names();
    }

    @Override
    public VerifiedEntries verifyAndRead(InputStream in, char[] passwordOrNull, EntryLimits limits,
                                         java.util.function.Predicate<String> keep) throws IOException {
        Map<String, ByteArrayOutputStream> contents = new LinkedHashMap<>();
        Verified verified = verified(in, passwordOrNull, limits, name -> {
            if (!keep.test(name)) {
                return null;
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            contents.put(name, content);
            return content;
        });
        Map<String, Long> sizes = new LinkedHashMap<>();
        verified.read().forEach(entry -> sizes.put(entry.name(), entry.size()));
        Map<String, byte[]> kept = new LinkedHashMap<>();
        contents.forEach((name, content) -> kept.put(name, content.toByteArray()));
        return new VerifiedEntries(Collections.unmodifiableMap(sizes), Collections.unmodifiableMap(kept));
    }

    private record Verified(List<String> names, List<EntryRead> read) {
    }

    @Override
    public OneEntry readOne(InputStream in, String entryName, char[] passwordOrNull, EntryLimits limits) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(entryName, "entryName");
        checkPassword(passwordOrNull);
        try (ArchiveSpool spool = ArchiveSpool.read(in, memoryLimit, spoolParent)) {
            ZipStructure.Archive archive = ZipStructure.parse(spool);
            ZipStructure.Entry wanted = archive.entries().stream().filter(entry -> entry.name().equals(entryName))
                    .findFirst().orElseThrow(() -> new ArchiveEntryMissingException("entry '" + entryName
                            + "' is not in the archive, which holds " + namesForMessage(archive.names())));
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            EntrySink unbounded = name -> name.equals(entryName) ? content : null;
            EntrySink sink = limits == EntryLimits.NONE ? unbounded : new InflateBudget(limits, unbounded);
            // from the entry's local header, that entry alone: the bytes after it are not read
            List<EntryRead> read;
            try (InputStream whole = spool.openStream()) {
                whole.skipNBytes(wanted.local().offset());
                SourceStream source = new SourceStream(new BufferedInputStream(whole, BUFFER_SIZE));
                read = passwordOrNull == null ? readWithZip4j(source, sink, 1) : readEncrypted(source, passwordOrNull, sink, 1);
            }
            checkAgainstStructure(new ZipStructure.Archive(List.of(wanted), archive.end()), read);
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (ZipStructure.Entry entry : archive.entries()) {
                sizes.put(entry.name(), entry.central().uncompressedSize());
            }
            return new OneEntry(content.toByteArray(), Collections.unmodifiableMap(sizes));
        }
    }

    /** Spools the archive, parses its structure, reads every entry into the sink and checks them against it. */
    private Verified verified(InputStream in, char[] passwordOrNull, EntryLimits limits, EntrySink sink)
            throws IOException {
        Objects.requireNonNull(in, "in");
        checkPassword(passwordOrNull);
        try (ArchiveSpool spool = ArchiveSpool.read(in, memoryLimit, spoolParent)) {
            ZipStructure.Archive archive = ZipStructure.parse(spool);
            List<EntryRead> read;
            try (InputStream stream = spool.openStream()) {
                read = readEntries(stream, passwordOrNull, limits, sink);
            }
            checkAgainstStructure(archive, read);
            return new Verified(archive.names(), read);
        }
    }

    /** What the streaming reader saw of one entry. */
    record EntryRead(String name, boolean directory, long size, long compressedSize) {
    }

    /** Where a streamed entry's bytes go; null discards them (they are still read and checked). */
    @FunctionalInterface
    interface EntrySink {
        OutputStream open(String entryName) throws IOException;
    }

    /**
     * Reads every entry to its end (with a password on the JDK's AES, else with zip4j), then the
     * rest of the stream, and checks the end records and central directory against the entries read.
     */
    private static List<EntryRead> readEntries(InputStream in, char[] password, EntryLimits limits, EntrySink unbounded)
            throws IOException {
        EntrySink sink = limits == EntryLimits.NONE ? unbounded : new InflateBudget(limits, unbounded);
        SourceStream source = new SourceStream(new BufferedInputStream(in, BUFFER_SIZE));
        List<EntryRead> entries = password == null
                ? readWithZip4j(source, sink, Integer.MAX_VALUE) : readEncrypted(source, password, sink, Integer.MAX_VALUE);
        // the rest of the stream, whose last bytes the end-record check reads
        try {
            source.drain();
        } catch (SourceFailure failure) {
            throw failure.original();
        }
        checkEndRecords(source, entries);
        return entries;
    }

    private static List<EntryRead> readEncrypted(SourceStream source, char[] password, EntrySink sink, int maxEntries)
            throws IOException {
        try {
            return AesZipReader.readEntries(source, password, sink, maxEntries);
        } catch (SourceFailure failure) {
            throw failure.original();
        }
    }

    /**
     * Without a password: zip4j reads plain archives (at most {@code maxEntries} entries), and refuses encrypted
     * ones before their data.
     */
    private static List<EntryRead> readWithZip4j(SourceStream source, EntrySink sink, int maxEntries) throws IOException {
        List<EntryRead> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        byte[] buffer = new byte[BUFFER_SIZE];
        try (ZipInputStream zip = new ZipInputStream(source, (char[]) null, config(ZIP4J_READ_BUFFER_SIZE))) {
            while (entries.size() < maxEntries) {
                String next = "entry #" + (entries.size() + 1);
                LocalFileHeader header;
                try {
                    header = zip.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    throw translate(e, "the local header of " + next, next);
                }
                if (header == null) {
                    break;
                }
                String name = header.getFileName();
                String entry = "entry '" + name + "'";
                if (!names.add(name)) {
                    throw new CorruptArchiveException(entry + " appears twice in the archive");
                }
                if (header.isEncrypted()) {
                    if (header.getEncryptionMethod() != EncryptionMethod.AES) {
                        throw new CorruptArchiveException(entry + " is encrypted with " + header.getEncryptionMethod()
                                + ", but only WinZip AES is supported");
                    }
                    throw new WrongPasswordException("password required: " + entry
                            + " is encrypted (WinZip AES) and no password was given");
                }
                OutputStream out = sink.open(name);
                long size = 0;
                int n;
                while ((n = read(zip, buffer, entry)) != -1) {
                    size += n;
                    if (out != null) {
                        out.write(buffer, 0, n); // a failure of the caller's stream is not damage: not translated
                    }
                }
                // zip4j has now read the data descriptor (if any) into the header
                long declared = resolvedSize(header, false);
                if (!header.isDirectory() && declared != size) {
                    throw new CorruptArchiveException(entry + " inflates to " + size
                            + " bytes, but its header declares " + declared);
                }
                entries.add(new EntryRead(name, header.isDirectory(), size, resolvedSize(header, true)));
            }
        }
        return entries;
    }

    private static int read(ZipInputStream zip, byte[] buffer, String entry) throws IOException {
        try {
            return zip.read(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            throw translate(e, entry, entry);
        }
    }

    private static long resolvedSize(LocalFileHeader header, boolean compressed) {
        long size = compressed ? header.getCompressedSize() : header.getUncompressedSize();
        if (size == 0xFFFFFFFFL && header.getZip64ExtendedInfo() != null) {
            size = compressed ? header.getZip64ExtendedInfo().getCompressedSize()
                    : header.getZip64ExtendedInfo().getUncompressedSize();
        }
        return size;
    }

    /**
     * zip4j's streaming reader stops at the first thing that is not a local header, so a damaged
     * header or a cut-off archive would look like a shorter one: the end records must agree.
     */
    private static void checkEndRecords(SourceStream source, List<EntryRead> entries) throws IOException {
        ZipStructure.ByteSource tail = source.tail();
        ZipStructure.EndRecords end = ZipStructure.readEndRecords(tail);
        if (end.entryCount() != entries.size()) {
            throw new CorruptArchiveException("the central directory lists " + end.entryCount() + " entries, but "
                    + entries.size() + " could be read before offset " + end.centralDirectoryOffset()
                    + " (a local header is damaged or missing)");
        }
        if (source.retains(end.centralDirectoryOffset())) {
            List<ZipStructure.CentralHeader> central = ZipStructure.readCentralDirectory(tail, end);
            for (int i = 0; i < entries.size(); i++) {
                if (!central.get(i).name().equals(entries.get(i).name())) {
                    throw new CorruptArchiveException("entry #" + (i + 1) + " is named '" + entries.get(i).name()
                            + "' in its local header but '" + central.get(i).name() + "' in the central directory");
                }
            }
        }
    }

    /** What zip4j inflated and decrypted must be what the headers describe. */
    private static void checkAgainstStructure(ZipStructure.Archive archive, List<EntryRead> read)
            throws CorruptArchiveException {
        List<ZipStructure.Entry> entries = archive.entries();
        if (entries.size() != read.size()) {
            throw new CorruptArchiveException("the central directory lists " + entries.size() + " entries, but "
                    + read.size() + " could be read");
        }
        for (int i = 0; i < read.size(); i++) {
            ZipStructure.CentralHeader central = entries.get(i).central();
            EntryRead entry = read.get(i);
            String where = "entry '" + central.name() + "' (local header at offset "
                    + central.localHeaderOffset() + ")";
            if (!entry.name().equals(central.name())) {
                throw new CorruptArchiveException(where + ": read as '" + entry.name() + "'");
            }
            if (entry.directory()) {
                continue;
            }
            if (entry.size() != central.uncompressedSize()) {
                throw new CorruptArchiveException(where + ": inflates to " + entry.size()
                        + " bytes, its headers declare " + central.uncompressedSize());
            }
            if (entry.compressedSize() != central.compressedSize()) {
                throw new CorruptArchiveException(where + ": its compressed data ends after "
                        + entry.compressedSize() + " bytes, its headers declare " + central.compressedSize());
            }
        }
    }

    /**
     * Maps a zip4j failure: the source stream's own failure unchanged, an encrypted entry (zip4j
     * asks for a password) to {@link WrongPasswordException}, anything else to
     * {@link CorruptArchiveException}.
     */
    private static IOException translate(Throwable failure, String where, String entry) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceFailure sourceFailure) {
                return sourceFailure.original();
            }
        }
        if (failure instanceof ZipException zipException
                && zipException.getType() == ZipException.Type.WRONG_PASSWORD) {
            // zip4j refuses before the entry's name is known to us
            return new WrongPasswordException("password required: " + entry
                    + " is encrypted (WinZip AES) and no password was given", failure);
        }
        return new CorruptArchiveException(where + " is damaged: " + describe(failure), failure);
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataFormatException) {
                return "invalid DEFLATE data (" + t.getMessage() + ")";
            }
            if (t instanceof EOFException) {
                return "unexpected end of data, the archive is truncated (" + t.getMessage() + ")";
            }
        }
        String message = String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("crc")) {
            return "CRC-32 mismatch (" + message + ")";
        }
        if (lower.contains("unexpected eof") || lower.contains("end of input") || lower.contains("read fully")
                || lower.contains("could not fill buffer")) {
            return "unexpected end of data, the archive is truncated (" + message + ")";
        }
        return failure.getClass().getSimpleName() + ": " + message;
    }

    private static Zip4jConfig config(int bufferSize) {
        // UTF-8 names and UTF-8 password bytes, as Keyguard (zip4j's defaults)
        return new Zip4jConfig(StandardCharsets.UTF_8, bufferSize, true);
    }

    private static ZipParameters parameters(String name, long lastModified, Compression compression) {
        ZipParameters parameters = new ZipParameters();
        parameters.setFileNameInZip(name);
        parameters.setCompressionMethod(CompressionMethod.DEFLATE);
        parameters.setCompressionLevel(compression == Compression.STORED_BLOCKS
                ? CompressionLevel.NO_COMPRESSION : CompressionLevel.NORMAL);
        parameters.setLastModifiedFileTime(lastModified);
        parameters.setWriteExtendedLocalFileHeader(true);
        return parameters;
    }

    private static void checkEntries(List<EntrySource> entries) {
        Objects.requireNonNull(entries, "entries");
        Set<String> names = new HashSet<>();
        for (EntrySource entry : entries) {
            Objects.requireNonNull(entry, "entry");
            String name = Objects.requireNonNull(entry.name(), "entry name");
            Objects.requireNonNull(entry.writer(), "entry writer");
            if (name.isBlank()) {
                throw new IllegalArgumentException("entry names must not be blank");
            }
            if (name.endsWith("/") || name.endsWith("\\")) {
                // zip4j would write it as an empty, unencrypted directory entry
                throw new IllegalArgumentException("entry name '" + name + "' ends with a path separator");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
                throw new IllegalArgumentException("entry name longer than 65535 UTF-8 bytes");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("duplicate entry name '" + name + "'");
            }
        }
    }

    private static void checkPassword(char[] password) {
        if (password != null && password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty; pass null for no password");
        }
    }

    private static String namesForMessage(List<String> names) {
        if (names.isEmpty()) {
            return "no entries";
        }
        List<String> shown = names.subList(0, Math.min(names.size(), MAX_NAMES_IN_MESSAGE));
        return names.size() + " entries: " + String.join(", ", shown.stream().map(n -> "'" + n + "'").toList())
                + (names.size() > shown.size() ? ", …" : "");
    }


    /**
     * Hands out entry sinks that count what passes: past an entry's limit, or the archive's, the
     * write fails as damage, which stops the inflater before it produces more.
     */
    private static final class InflateBudget implements EntrySink {
        private final EntryLimits limits;
        private final EntrySink sink;
        private long spent;

        InflateBudget(EntryLimits limits, EntrySink sink) {
            this.limits = limits;
            this.sink = sink;
        }

        @Override
        public OutputStream open(String entryName) throws IOException {
            OutputStream opened = sink.open(entryName);
            OutputStream target = opened != null ? opened : OutputStream.nullOutputStream(); // still counted
            long entryLimit = limits.perEntry().applyAsLong(entryName);
            return new OutputStream() {
                private long entrySpent;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    entrySpent += len;
                    spent += len;
                    if (entrySpent > entryLimit) {
                        throw new CorruptArchiveException("entry '" + entryName + "' inflates past " + entryLimit
                                + " bytes, more than it may hold");
                    }
                    if (spent > limits.total()) {
                        throw new CorruptArchiveException("the archive inflates past " + limits.total()
                                + " bytes, more than it may hold (at entry '" + entryName + "')");
                    }
                    target.write(b, off, len);
                }
            };
        }
    }

    /** An entry's bytes, in a buffer first sized for what the entry is expected to hold. */
    private static final class EntryBuffer extends ByteArrayOutputStream {
        // a hint (a size the catalogue records) is not trusted with more than this up front: a damaged or
        // hostile catalogue claiming gigabytes costs memory only as the entry really inflates
        private static final long MOST_PRESIZED = 64L * 1024 * 1024;

        EntryBuffer(long expected) {
            super(expected > 32 && expected <= MOST_PRESIZED ? (int) expected : 32);
        }

        /** The bytes written: the buffer itself when they fill it exactly (the expected case), else a copy. */
        byte[] bytes() {
            return count == buf.length ? buf : toByteArray();
        }
    }

    /** A failure of the caller's input stream, carried through zip4j so it is not mistaken for damage. */
    private static final class SourceFailure extends IOException {
        SourceFailure(IOException original) {
            super(original.getMessage(), original);
        }

        IOException original() {
            return (IOException) getCause();
        }
    }

    /**
     * The raw archive under zip4j. It remembers the last {@link #TAIL_CAPACITY} bytes that passed
     * (zip4j reads ahead and pushes back internally, but every byte passes here exactly once, in
     * order), and it is never closed by zip4j: the caller owns the stream.
     */
    private static final class SourceStream extends InputStream {
        private final InputStream in;
        private final byte[] ring = new byte[TAIL_CAPACITY];
        private long total;

        SourceStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
            if (n > 0) {
                remember(b, off, n);
            }
            return n;
        }

        private void remember(byte[] b, int off, int len) {
            if (len > ring.length) {
                total += len - ring.length;
                off += len - ring.length;
                len = ring.length;
            }
            int at = (int) (total % ring.length);
            int first = Math.min(len, ring.length - at);
            System.arraycopy(b, off, ring, at, first);
            System.arraycopy(b, off + first, ring, 0, len - first);
            total += len;
        }

        void drain() throws IOException {
            byte[] scratch = new byte[BUFFER_SIZE];
            while (read(scratch, 0, scratch.length) != -1) {
                // only the tail is kept
            }
        }

        boolean retains(long position) {
            return position >= total - ring.length;
        }

        /** The archive as seen so far, readable only in its retained last bytes. */
        ZipStructure.ByteSource tail() {
            return new ZipStructure.ByteSource() {
                @Override
                public long size() {
                    return total;
                }

                @Override
                public void read(long position, byte[] target, int offset, int length) {
                    if (!retains(position)) {
                        throw new IllegalStateException("offset " + position + " is no longer retained");
                    }
                    int at = (int) (position % ring.length);
                    int first = Math.min(length, ring.length - at);
                    System.arraycopy(ring, at, target, offset, first);
                    System.arraycopy(ring, 0, target, offset + first, length - first);
                }
            };
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
