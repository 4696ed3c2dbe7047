package io.vaultkeep.storage.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A strict, hand-written reader of a ZIP archive's structure (PKWARE APPNOTE 6.3, every field
 * little-endian). It checks what zip4j's streaming reader never looks at: the end records, the
 * central directory, and that every local header (and data descriptor) agrees with its central
 * header. It neither inflates nor decrypts; {@link Zip4jCodec#verify} does that afterwards.
 *
 * <p>Accepted layout: one disk; the first local header at offset 0; each entry (local header,
 * data, optional data descriptor) directly followed by the next; then the central directory;
 * then (a Zip64 end record and its locator and) the end record and its comment, and nothing else.
 * Entries are STORED or DEFLATED, optionally WinZip AES encrypted (method 99).
 *
 * <p>Deliberately not checked, because nothing that reads these archives interprets them: the
 * central headers' "version made by" and "internal file attributes", the permission bits of the
 * external attributes, comments, and the version fields of a Zip64 end record. The file-type bits
 * and the MS-DOS directory/volume bits of the external attributes ARE checked: zip4j's
 * {@code ZipFile} would treat such an entry as a directory or link and never read its data.
 */
final class ZipStructure {

    static final long LOCAL_HEADER_SIGNATURE = 0x04034b50L;
    static final long DATA_DESCRIPTOR_SIGNATURE = 0x08074b50L;
    static final long CENTRAL_HEADER_SIGNATURE = 0x02014b50L;
    static final long END_SIGNATURE = 0x06054b50L;
    static final long ZIP64_END_SIGNATURE = 0x06064b50L;
    static final long ZIP64_LOCATOR_SIGNATURE = 0x07064b50L;

    static final int LOCAL_HEADER_LENGTH = 30;
    static final int CENTRAL_HEADER_LENGTH = 46;
    static final int END_LENGTH = 22;
    static final int ZIP64_END_LENGTH = 56;
    static final int ZIP64_LOCATOR_LENGTH = 20;

    static final int METHOD_STORED = 0;
    static final int METHOD_DEFLATED = 8;
    static final int METHOD_AES = 99;

    static final int FLAG_ENCRYPTED = 0x0001;
    static final int FLAG_DEFLATE_OPTIONS = 0x0006;
    static final int FLAG_DATA_DESCRIPTOR = 0x0008;
    static final int FLAG_UTF8 = 0x0800;
    private static final int SUPPORTED_FLAGS =
            FLAG_ENCRYPTED | FLAG_DEFLATE_OPTIONS | FLAG_DATA_DESCRIPTOR | FLAG_UTF8;

    static final int ZIP64_EXTRA_ID = 0x0001;
    static final int AES_EXTRA_ID = 0x9901;
    static final int AES_PASSWORD_VERIFIER_LENGTH = 2;
    static final int AES_AUTHENTICATION_CODE_LENGTH = 10;

    private static final long MAX16 = 0xFFFFL;
    private static final long MAX32 = 0xFFFFFFFFL;
    private static final int MAX_COMMENT = 0xFFFF;

    private ZipStructure() {
    }

    /** Random access to the archive's bytes; callers only ask for ranges inside [0, size). */
    interface ByteSource {
        long size();

        void read(long position, byte[] target, int offset, int length) throws IOException;

        static ByteSource of(byte[] bytes) {
            return new ArraySource(bytes);
        }
    }

    private record ArraySource(byte[] bytes) implements ByteSource {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(long position, byte[] target, int offset, int length) {
            System.arraycopy(bytes, Math.toIntExact(position), target, offset, length);
        }
    }

    /** The WinZip AES extra field (0x9901): AE-1 or AE-2, key strength 1/2/3 = AES-128/192/256. */
    record AesInfo(int vendorVersion, int keyStrength, int actualMethod) {
        int saltLength() {
            return 4 + 4 * keyStrength;
        }

        /** Bytes the encryption adds to the compressed data: salt, password verifier, authentication code. */
        int overhead() {
            return saltLength() + AES_PASSWORD_VERIFIER_LENGTH + AES_AUTHENTICATION_CODE_LENGTH;
        }

        // equals and hashCode by hand, as the record's would be: the generated ones are linked through method
        // handles on first use, which spun a dozen classes in every command that compares an archive's headers
        @Override
        public boolean equals(Object other) {
            return other instanceof AesInfo that && vendorVersion == that.vendorVersion && keyStrength == that.keyStrength
                    && actualMethod == that.actualMethod;
        }

        @Override
        public int hashCode() {
            return (31 * vendorVersion + keyStrength) * 31 + actualMethod;
        }
    }

    /** A local file header; {@code rawName} is compared byte for byte, {@code name} is its UTF-8 reading. */
    record LocalHeader(long offset, int versionNeeded, int flags, int method, int dosTime, int dosDate,
                       long crc, long compressedSize, long uncompressedSize, byte[] rawName, String name,
                       AesInfo aes, boolean zip64, long dataOffset) {
    }

    /** A central directory header, sizes and offset already resolved through a Zip64 extra field. */
    record CentralHeader(long offset, int versionMadeBy, int versionNeeded, int flags, int method, int dosTime,
                         int dosDate, long crc, long compressedSize, long uncompressedSize, long diskNumberStart,
                         int internalAttributes, long externalAttributes, long localHeaderOffset, byte[] rawName,
                         String name, AesInfo aes, long end) {

        boolean encrypted() {
            return (flags & FLAG_ENCRYPTED) != 0;
        }

        boolean hasDataDescriptor() {
            return (flags & FLAG_DATA_DESCRIPTOR) != 0;
        }
    }

    /** A data descriptor (flag bit 3), with or without its optional signature. */
    record DataDescriptor(long offset, boolean signed, long crc, long compressedSize, long uncompressedSize,
                          long end) {
    }

    /**
     * The end records. {@code offset} is where they begin: the Zip64 end record if present, else
     * the end of central directory record.
     */
    record EndRecords(long centralDirectoryOffset, long centralDirectorySize, long entryCount, long offset,
                      boolean zip64) {
    }

    /** One entry: its headers, its descriptor (null without flag bit 3), and the offset just after it. */
    record Entry(LocalHeader local, CentralHeader central, DataDescriptor descriptor, long end) {
        String name() {
            return central.name();
        }
    }

    record Archive(List<Entry> entries, EndRecords end) {
        List<String> names() {
            return entries.stream().map(Entry::name).toList();
        }
    }

    /** Parses and cross-checks the whole structure. */
    static Archive parse(ByteSource source) throws IOException {
        EndRecords end = readEndRecords(source);
        List<CentralHeader> central = readCentralDirectory(source, end);
        long localLimit = end.centralDirectoryOffset();
        List<Entry> entries = new ArrayList<>(central.size());
        Set<String> names = new HashSet<>();
        long expectedOffset = 0;
        for (CentralHeader header : central) {
            String where = describe(header);
            if (!names.add(header.name())) {
                throw corrupt(where + ": the name appears twice");
            }
            checkSemantics(header, where);
            if (header.localHeaderOffset() != expectedOffset) {
                throw corrupt(where + ": its local header is at offset " + header.localHeaderOffset() + ", but "
                        + (expectedOffset == 0 ? "the first entry must start at offset 0"
                                : "the previous entry ends at offset " + expectedOffset));
            }
            LocalHeader local = readLocalHeader(source, header.localHeaderOffset(), localLimit, where);
            compare(local, header, where);
            if (header.compressedSize() > localLimit - local.dataOffset()) {
                throw corrupt(where + ": its " + header.compressedSize() + " bytes of data from offset "
                        + local.dataOffset() + " run into the central directory at offset " + localLimit);
            }
            long dataEnd = local.dataOffset() + header.compressedSize();
            DataDescriptor descriptor = null;
            long entryEnd = dataEnd;
            if (header.hasDataDescriptor()) {
                descriptor = readDataDescriptor(source, dataEnd, local.zip64(), localLimit, where);
                String at = "data descriptor at offset " + descriptor.offset();
                sameHex(where, at, "CRC-32", descriptor.crc(), header.crc());
                same(where, at, "compressed size", descriptor.compressedSize(), header.compressedSize());
                same(where, at, "uncompressed size", descriptor.uncompressedSize(), header.uncompressedSize());
                entryEnd = descriptor.end();
            }
            entries.add(new Entry(local, header, descriptor, entryEnd));
            expectedOffset = entryEnd;
        }
        if (expectedOffset != localLimit) {
            throw corrupt((localLimit - expectedOffset) + " unexplained bytes between the end of the last entry (offset "
                    + expectedOffset + ") and the central directory (offset " + localLimit + ")");
        }
        return new Archive(List.copyOf(entries), end);
    }

    /** Finds the end of central directory record (and the Zip64 end records when present). */
    static EndRecords readEndRecords(ByteSource source) throws IOException {
        long size = source.size();
        if (size < END_LENGTH) {
            throw corrupt("the archive is only " + size + " bytes, too short for a ZIP end record"
                    + " (truncated, or not a ZIP archive)");
        }
        int window = (int) Math.min(size, END_LENGTH + MAX_COMMENT);
        long windowStart = size - window;
        byte[] tail = bytes(source, windowStart, window, size, "the end of central directory record");
        int found = -1;
        // the record is the last signature whose comment length reaches exactly to the end
        for (int i = window - END_LENGTH; i >= 0; i--) {
            if (u32(tail, i) == END_SIGNATURE && i + END_LENGTH + u16(tail, i + 20) == window) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            throw corrupt("no end of central directory record at the end of the archive (" + size
                    + " bytes): it is truncated, has trailing bytes, or is not a ZIP archive");
        }
        long endOffset = windowStart + found;
        String where = "end of central directory record at offset " + endOffset;
        long disk = u16(tail, found + 4);
        long centralDisk = u16(tail, found + 6);
        long entriesOnDisk = u16(tail, found + 8);
        long entries = u16(tail, found + 10);
        long centralSize = u32(tail, found + 12);
        long centralOffset = u32(tail, found + 16);
        long recordsOffset = endOffset;
        boolean zip64 = false;

        if (endOffset >= ZIP64_LOCATOR_LENGTH) {
            long locatorOffset = endOffset - ZIP64_LOCATOR_LENGTH;
            byte[] locator = bytes(source, locatorOffset, ZIP64_LOCATOR_LENGTH, size, "the Zip64 end locator");
            if (u32(locator, 0) == ZIP64_LOCATOR_SIGNATURE) {
                zip64 = true;
                String locatorWhere = "Zip64 end locator at offset " + locatorOffset;
                if (u32(locator, 4) != 0 || u32(locator, 16) != 1) {
                    throw corrupt(locatorWhere + ": multi-disk archives are not supported (disk "
                            + u32(locator, 4) + " of " + u32(locator, 16) + ")");
                }
                long zip64Offset = u64(locator, 8, locatorWhere);
                long expected = locatorOffset - ZIP64_END_LENGTH;
                if (zip64Offset != expected) {
                    throw corrupt(locatorWhere + ": points to a Zip64 end record at offset " + zip64Offset
                            + ", expected one directly before it at offset " + expected);
                }
                String recordWhere = "Zip64 end record at offset " + expected;
                byte[] record = bytes(source, expected, ZIP64_END_LENGTH, locatorOffset, recordWhere);
                if (u32(record, 0) != ZIP64_END_SIGNATURE) {
                    throw corrupt(recordWhere + ": bad signature");
                }
                long recordSize = u64(record, 4, recordWhere);
                if (recordSize != ZIP64_END_LENGTH - 12) {
                    throw corrupt(recordWhere + ": declares " + recordSize + " bytes, expected "
                            + (ZIP64_END_LENGTH - 12) + " (no extensible data)");
                }
                disk = sentinelAgrees(where, "disk number", disk, MAX16, u32(record, 16));
                centralDisk = sentinelAgrees(where, "central directory disk", centralDisk, MAX16, u32(record, 20));
                entriesOnDisk = sentinelAgrees(where, "entries on this disk", entriesOnDisk, MAX16,
                        u64(record, 24, recordWhere));
                entries = sentinelAgrees(where, "total entries", entries, MAX16, u64(record, 32, recordWhere));
                centralSize = sentinelAgrees(where, "central directory size", centralSize, MAX32,
                        u64(record, 40, recordWhere));
                centralOffset = sentinelAgrees(where, "central directory offset", centralOffset, MAX32,
                        u64(record, 48, recordWhere));
                recordsOffset = expected;
                where = recordWhere;
            }
        }
        if (disk != 0 || centralDisk != 0) {
            throw corrupt(where + ": multi-disk archives are not supported (disk " + disk
                    + ", central directory on disk " + centralDisk + ")");
        }
        if (entriesOnDisk != entries) {
            throw corrupt(where + ": " + entriesOnDisk + " entries on this disk but " + entries + " in total");
        }
        if (centralOffset > recordsOffset || centralSize != recordsOffset - centralOffset) {
            throw corrupt(where + ": the central directory (offset " + centralOffset + ", " + centralSize
                    + " bytes) does not end where the end records begin (offset " + recordsOffset + ")");
        }
        return new EndRecords(centralOffset, centralSize, entries, recordsOffset, zip64);
    }

    /** Walks the central directory; it must hold exactly the announced headers and nothing else. */
    static List<CentralHeader> readCentralDirectory(ByteSource source, EndRecords end) throws IOException {
        long position = end.centralDirectoryOffset();
        long limit = end.offset();
        List<CentralHeader> headers = new ArrayList<>((int) Math.min(end.entryCount(), 1024));
        for (long i = 0; i < end.entryCount(); i++) {
            if (position >= limit) {
                throw corrupt("the central directory (offset " + end.centralDirectoryOffset() + ", "
                        + end.centralDirectorySize() + " bytes) ends after " + i
                        + " headers, but the end record announces " + end.entryCount());
            }
            CentralHeader header = readCentralHeader(source, position, limit, i + 1);
            headers.add(header);
            position = header.end();
        }
        if (position != limit) {
            throw corrupt((limit - position) + " unexplained bytes at offset " + position
                    + " after the last central header, before the end records at offset " + limit);
        }
        return headers;
    }

    private static CentralHeader readCentralHeader(ByteSource source, long offset, long limit, long number)
            throws IOException {
        String where = "central header #" + number + " at offset " + offset;
        byte[] fixed = bytes(source, offset, CENTRAL_HEADER_LENGTH, limit, where);
        if (u32(fixed, 0) != CENTRAL_HEADER_SIGNATURE) {
            throw corrupt(where + ": bad signature");
        }
        int nameLength = u16(fixed, 28);
        int extraLength = u16(fixed, 30);
        int commentLength = u16(fixed, 32);
        byte[] variable = bytes(source, offset + CENTRAL_HEADER_LENGTH, nameLength + extraLength + commentLength,
                limit, where + ": name, extra field and comment");
        byte[] rawName = Arrays.copyOfRange(variable, 0, nameLength);
        String name = new String(rawName, StandardCharsets.UTF_8);
        where = "entry '" + name + "' (central header at offset " + offset + ")";
        Map<Integer, byte[]> extra = extraFields(Arrays.copyOfRange(variable, nameLength, nameLength + extraLength),
                where, offset + CENTRAL_HEADER_LENGTH + nameLength);

        // a Zip64 extra field holds, in this order, exactly the values whose 32/16-bit fields are maxed out
        Zip64Values zip64 = new Zip64Values(extra.get(ZIP64_EXTRA_ID), where);
        long uncompressedSize = zip64.resolve(u32(fixed, 24), MAX32, "uncompressed size");
        long compressedSize = zip64.resolve(u32(fixed, 20), MAX32, "compressed size");
        long localHeaderOffset = zip64.resolve(u32(fixed, 42), MAX32, "local header offset");
        long diskNumberStart = zip64.resolveDisk(u16(fixed, 34));
        zip64.requireConsumed();

        return new CentralHeader(offset, u16(fixed, 4), u16(fixed, 6), u16(fixed, 8), u16(fixed, 10),
                u16(fixed, 12), u16(fixed, 14), u32(fixed, 16), compressedSize, uncompressedSize, diskNumberStart,
                u16(fixed, 36), u32(fixed, 38), localHeaderOffset, rawName, name, aesInfo(extra, where),
                offset + CENTRAL_HEADER_LENGTH + nameLength + extraLength + commentLength);
    }

    private static LocalHeader readLocalHeader(ByteSource source, long offset, long limit, String where)
            throws IOException {
        String at = "local header at offset " + offset;
        byte[] fixed = bytes(source, offset, LOCAL_HEADER_LENGTH, limit, where + ": " + at);
        if (u32(fixed, 0) != LOCAL_HEADER_SIGNATURE) {
            throw corrupt(where + ": bad signature for the " + at);
        }
        int nameLength = u16(fixed, 26);
        int extraLength = u16(fixed, 28);
        byte[] variable = bytes(source, offset + LOCAL_HEADER_LENGTH, nameLength + extraLength, limit,
                where + ": name and extra field of the " + at);
        byte[] rawName = Arrays.copyOfRange(variable, 0, nameLength);
        String localWhere = where + ", " + at;
        Map<Integer, byte[]> extra = extraFields(Arrays.copyOfRange(variable, nameLength, nameLength + extraLength),
                localWhere, offset + LOCAL_HEADER_LENGTH + nameLength);

        Zip64Values zip64 = new Zip64Values(extra.get(ZIP64_EXTRA_ID), localWhere);
        long uncompressedSize = zip64.resolve(u32(fixed, 22), MAX32, "uncompressed size");
        long compressedSize = zip64.resolve(u32(fixed, 18), MAX32, "compressed size");

        return new LocalHeader(offset, u16(fixed, 4), u16(fixed, 6), u16(fixed, 8), u16(fixed, 10), u16(fixed, 12),
                u32(fixed, 14), compressedSize, uncompressedSize, rawName,
                new String(rawName, StandardCharsets.UTF_8), aesInfo(extra, localWhere),
                extra.containsKey(ZIP64_EXTRA_ID), offset + LOCAL_HEADER_LENGTH + nameLength + extraLength);
    }

    private static DataDescriptor readDataDescriptor(ByteSource source, long offset, boolean zip64, long limit,
                                                     String where) throws IOException {
        String at = where + ": data descriptor at offset " + offset;
        int sizeLength = zip64 ? 8 : 4;
        boolean signed = u32(bytes(source, offset, 4, limit, at), 0) == DATA_DESCRIPTOR_SIGNATURE;
        int length = (signed ? 4 : 0) + 4 + 2 * sizeLength;
        byte[] descriptor = bytes(source, offset, length, limit, at);
        int p = signed ? 4 : 0;
        long crc = u32(descriptor, p);
        long compressedSize = zip64 ? u64(descriptor, p + 4, at) : u32(descriptor, p + 4);
        long uncompressedSize = zip64 ? u64(descriptor, p + 4 + sizeLength, at) : u32(descriptor, p + 4 + sizeLength);
        return new DataDescriptor(offset, signed, crc, compressedSize, uncompressedSize, offset + length);
    }

    /** Rules a central header must follow by itself (its local header must then match it). */
    private static void checkSemantics(CentralHeader header, String where) throws CorruptArchiveException {
        if (header.diskNumberStart() != 0) {
            throw corrupt(where + ": starts on disk " + header.diskNumberStart()
                    + ", multi-disk archives are not supported");
        }
        int unsupportedFlags = header.flags() & ~SUPPORTED_FLAGS;
        if (unsupportedFlags != 0) {
            throw corrupt(where + String.format(": unsupported general purpose flags 0x%04x", unsupportedFlags));
        }
        AesInfo aes = header.aes();
        int method = header.method();
        if (header.encrypted() != (method == METHOD_AES)) {
            throw corrupt(where + (header.encrypted()
                    ? ": encrypted, but not with WinZip AES (method " + method + "); only WinZip AES is supported"
                    : ": compression method 99 (WinZip AES) without the encryption flag"));
        }
        if ((method == METHOD_AES) != (aes != null)) {
            throw corrupt(where + (aes == null
                    ? ": WinZip AES entry without an AES extra field"
                    : ": AES extra field on an entry that is not AES-encrypted (method " + method + ")"));
        }
        int actualMethod = aes == null ? method : aes.actualMethod();
        if (actualMethod != METHOD_STORED && actualMethod != METHOD_DEFLATED) {
            throw corrupt(where + ": unsupported compression method " + actualMethod);
        }
        long overhead = aes == null ? 0 : aes.overhead();
        if (header.compressedSize() < overhead) {
            throw corrupt(where + ": compressed size " + header.compressedSize()
                    + " is smaller than the AES salt, verifier and authentication code (" + overhead + " bytes)");
        }
        if (actualMethod == METHOD_STORED && header.compressedSize() - overhead != header.uncompressedSize()) {
            throw corrupt(where + ": stored entry with compressed size " + header.compressedSize()
                    + " but uncompressed size " + header.uncompressedSize());
        }
        long external = header.externalAttributes();
        long unixFileType = (external >>> 28) & 0xF;
        if ((external & 0x18) != 0 || (unixFileType != 0 && unixFileType != 0x8)) {
            throw corrupt(where + String.format(": external attributes 0x%08x mark a directory, volume label"
                    + " or special file, not a regular file", external));
        }
    }

    /** A local header must repeat its central header; sizes may be zero when a data descriptor follows. */
    private static void compare(LocalHeader local, CentralHeader central, String where) throws CorruptArchiveException {
        String at = "local header at offset " + local.offset();
        same(where, at, "version needed to extract", local.versionNeeded(), central.versionNeeded());
        sameHex(where, at, "general purpose flags", local.flags(), central.flags());
        same(where, at, "compression method", local.method(), central.method());
        same(where, at, "last modified time", local.dosTime(), central.dosTime());
        same(where, at, "last modified date", local.dosDate(), central.dosDate());
        if (!Arrays.equals(local.rawName(), central.rawName())) {
            throw corrupt(where + ": the " + at + " names '" + local.name() + "'");
        }
        if (!Objects.equals(local.aes(), central.aes())) {
            throw corrupt(where + ": the " + at + " has AES extra field " + local.aes() + ", the central header "
                    + central.aes());
        }
        if (central.hasDataDescriptor()) {
            if (local.crc() != 0 && local.crc() != central.crc()) {
                throw corrupt(where + String.format(": the %s has CRC-32 0x%08x, neither 0 nor the central header's"
                        + " 0x%08x", at, local.crc(), central.crc()));
            }
            zeroOrSame(where, at, "compressed size", local.compressedSize(), central.compressedSize());
            zeroOrSame(where, at, "uncompressed size", local.uncompressedSize(), central.uncompressedSize());
        } else {
            sameHex(where, at, "CRC-32", local.crc(), central.crc());
            same(where, at, "compressed size", local.compressedSize(), central.compressedSize());
            same(where, at, "uncompressed size", local.uncompressedSize(), central.uncompressedSize());
        }
    }

    private static void same(String where, String at, String field, long value, long central)
            throws CorruptArchiveException {
        if (value != central) {
            throw corrupt(where + ": the " + at + " has " + field + " " + value + ", the central header " + central);
        }
    }

    private static void sameHex(String where, String at, String field, long value, long central)
            throws CorruptArchiveException {
        if (value != central) {
            throw corrupt(where + String.format(": the %s has %s 0x%x, the central header 0x%x", at, field, value,
                    central));
        }
    }

    // APPNOTE 4.4.4: with a data descriptor these local fields are zero; some writers fill them in anyway
    private static void zeroOrSame(String where, String at, String field, long value, long central)
            throws CorruptArchiveException {
        if (value != 0 && value != central) {
            throw corrupt(where + ": the " + at + " has " + field + " " + value + ", neither 0 nor the central header's "
                    + central);
        }
    }

    /** An end-record field either equals its Zip64 counterpart or is the "see Zip64" sentinel. */
    private static long sentinelAgrees(String where, String field, long value, long sentinel, long zip64Value)
            throws CorruptArchiveException {
        if (value != sentinel && value != zip64Value) {
            throw corrupt(where + ": " + field + " " + value + " disagrees with the Zip64 end record's " + zip64Value);
        }
        return zip64Value;
    }

    private static Map<Integer, byte[]> extraFields(byte[] extra, String where, long offset)
            throws CorruptArchiveException {
        Map<Integer, byte[]> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < extra.length) {
            if (i + 4 > extra.length) {
                throw corrupt(where + ": extra field at offset " + (offset + i) + " is cut short");
            }
            int id = u16(extra, i);
            int size = u16(extra, i + 2);
            if (i + 4 + size > extra.length) {
                throw corrupt(where + String.format(": extra field 0x%04x at offset %d claims %d bytes, only %d remain",
                        id, offset + i, size, extra.length - i - 4));
            }
            if (fields.put(id, Arrays.copyOfRange(extra, i + 4, i + 4 + size)) != null) {
                throw corrupt(where + String.format(": extra field 0x%04x appears twice", id));
            }
            i += 4 + size;
        }
        return fields;
    }

    private static AesInfo aesInfo(Map<Integer, byte[]> extra, String where) throws CorruptArchiveException {
        byte[] data = extra.get(AES_EXTRA_ID);
        if (data == null) {
            return null;
        }
        if (data.length != 7) {
            throw corrupt(where + ": AES extra field has " + data.length + " bytes, expected 7");
        }
        int vendorVersion = u16(data, 0);
        int keyStrength = data[4] & 0xFF;
        if (data[2] != 'A' || data[3] != 'E') {
            throw corrupt(where + String.format(": AES extra field has vendor id 0x%02x%02x, expected \"AE\"",
                    data[2], data[3]));
        }
        if (vendorVersion != 1 && vendorVersion != 2) {
            throw corrupt(where + ": AES extra field has vendor version " + vendorVersion + ", expected 1 or 2");
        }
        if (keyStrength < 1 || keyStrength > 3) {
            throw corrupt(where + ": AES extra field has key strength " + keyStrength + ", expected 1, 2 or 3");
        }
        return new AesInfo(vendorVersion, keyStrength, u16(data, 5));
    }

    /** Reads the values of a Zip64 extended information extra field in their fixed order. */
    private static final class Zip64Values {
        private final byte[] data;
        private final String where;
        private int position;

        Zip64Values(byte[] data, String where) {
            this.data = data;
            this.where = where;
        }

        long resolve(long value, long sentinel, String field) throws CorruptArchiveException {
            if (value != sentinel) {
                return value;
            }
            if (data == null || position + 8 > data.length) {
                throw corrupt(where + ": " + field + " is in a Zip64 extra field that is missing or too short");
            }
            long resolved = u64(data, position, where);
            position += 8;
            return resolved;
        }

        long resolveDisk(long value) throws CorruptArchiveException {
            if (value != MAX16) {
                return value;
            }
            if (data == null || position + 4 > data.length) {
                throw corrupt(where + ": disk number is in a Zip64 extra field that is missing or too short");
            }
            long resolved = u32(data, position);
            position += 4;
            return resolved;
        }

        void requireConsumed() throws CorruptArchiveException {
            if (data != null && position != data.length) {
                throw corrupt(where + ": Zip64 extra field has " + data.length + " bytes, " + position
                        + " expected from the header's maxed-out fields");
            }
        }
    }

    private static String describe(CentralHeader header) {
        return "entry '" + header.name() + "' (central header at offset " + header.offset() + ")";
    }

    /** Reads {@code length} bytes at {@code position}, which must lie below {@code limit}. */
    private static byte[] bytes(ByteSource source, long position, long length, long limit, String what)
            throws IOException {
        if (position < 0 || length < 0 || position > limit || length > limit - position) {
            throw corrupt(what + ": " + length + " bytes at offset " + position + " run past offset " + limit
                    + (limit == source.size() ? ", the end of the archive (truncated?)" : ""));
        }
        byte[] bytes = new byte[(int) length];
        source.read(position, bytes, 0, bytes.length);
        return bytes;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xFFFFFFFFL;
    }

    private static long u64(byte[] b, int i, String where) throws CorruptArchiveException {
        long value = u32(b, i) | u32(b, i + 4) << 32;
        if (value < 0) {
            throw corrupt(where + ": implausible 64-bit value " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static CorruptArchiveException corrupt(String message) {
        return new CorruptArchiveException(message);
    }
}
