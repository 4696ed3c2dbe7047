package io.vaultkeep.storage.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streams the entries of a password-protected archive on the JDK's crypto ({@link WinZipAes}),
 * in place of zip4j's {@code ZipInputStream}, whose pure-Java AES is several times slower. It
 * reads what zip4j writes, streamed (with data descriptors) or through its ZipFile API (sizes in
 * the local headers), and checks each entry as zip4j does: the password verifier before the data
 * (a mismatch is a wrong password), and at the end the HMAC-SHA1 over exactly the ciphertext, up
 * to where the DEFLATE data ends. AE-1 entries (which keep a CRC) and AES-128/192 are read too.
 *
 * <p>Like zip4j's reader it stops at the first thing that is not a local header; the caller
 * checks the end records against the entries read. A plain entry is refused (an encrypted archive
 * never holds one: it could be a forgery), except a directory. Failures of the source stream and
 * of the entry sinks propagate unchanged; damage is a {@link CorruptArchiveException}.
 */
final class AesZipReader {

    private static final int ZIP64_EXTRA_ID = ZipStructure.ZIP64_EXTRA_ID;
    private static final long MAX32 = 0xFFFFFFFFL;

    private final RawInput raw;
    private final char[] password;
    private final byte[] work = new byte[Zip4jCodec.BUFFER_SIZE];
    private final byte[] plain = new byte[Zip4jCodec.BUFFER_SIZE];

    private AesZipReader(InputStream source, char[] password) {
        this.raw = new RawInput(source);
        this.password = password;
    }

    /**
     * Reads every entry (at most {@code maxEntries}) to its end, handing each one's bytes to the sink; returns what
     * was read. The source is read a buffer ahead: when this returns, it may have consumed some bytes after the last
     * entry read (the caller reads the rest itself).
     */
    static List<Zip4jCodec.EntryRead> readEntries(InputStream source, char[] password, Zip4jCodec.EntrySink sink,
                                                  int maxEntries) throws IOException {
        AesZipReader reader = new AesZipReader(source, password);
        List<Zip4jCodec.EntryRead> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (entries.size() < maxEntries) {
            LocalHeader header = reader.readLocalHeader("entry #" + (entries.size() + 1));
            if (header == null) {
                return entries;
            }
            if (!names.add(header.name())) {
                throw new CorruptArchiveException(header.where() + " appears twice in the archive");
            }
            entries.add(reader.readEntry(header, sink));
        }
        return entries;
    }

    /** What the local header says; sizes resolved through a Zip64 extra field. */
    private record LocalHeader(String name, int flags, int method, long crc, long compressedSize, long size,
                               ZipStructure.AesInfo aes, boolean zip64) {
        String where() {
            return "entry '" + name + "'";
        }

        boolean encrypted() {
            return (flags & ZipStructure.FLAG_ENCRYPTED) != 0;
        }

        boolean hasDataDescriptor() {
            return (flags & ZipStructure.FLAG_DATA_DESCRIPTOR) != 0;
        }

        boolean directory() {
            return name.endsWith("/") || name.endsWith("\\");
        }

        int actualMethod() {
            return aes == null ? method : aes.actualMethod();
        }

        /** Whether the local header gives the data's length (else only its end does). */
        boolean knownLength() {
            return !hasDataDescriptor() || compressedSize != 0;
        }
    }

    /** Returns null when the next bytes are not a local header: the entries have ended. */
    private LocalHeader readLocalHeader(String next) throws IOException {
        if (!raw.request(4) || ZipStructure.u32(raw.buffer(), raw.position()) != ZipStructure.LOCAL_HEADER_SIGNATURE) {
            return null;
        }
        String where = "the local header of " + next;
        byte[] fixed = raw.readExactly(ZipStructure.LOCAL_HEADER_LENGTH, where);
        int nameLength = ZipStructure.u16(fixed, 26);
        int extraLength = ZipStructure.u16(fixed, 28);
        byte[] rawName = raw.readExactly(nameLength, where);
        byte[] extra = raw.readExactly(extraLength, where);
        String name = new String(rawName, StandardCharsets.UTF_8);
        where = "entry '" + name + "'";

        ZipStructure.AesInfo aes = null;
        long size = ZipStructure.u32(fixed, 22);
        long compressedSize = ZipStructure.u32(fixed, 18);
        boolean zip64 = false;
        for (int i = 0; i < extraLength; ) {
            if (i + 4 > extraLength || i + 4 + ZipStructure.u16(extra, i + 2) > extraLength) {
                throw damaged(where, "its local header's extra field is cut short");
            }
            int id = ZipStructure.u16(extra, i);
            int length = ZipStructure.u16(extra, i + 2);
            int data = i + 4;
            if (id == ZipStructure.AES_EXTRA_ID) {
                aes = aesInfo(extra, data, length, where);
            } else if (id == ZIP64_EXTRA_ID) {
                // the values whose 32-bit fields are maxed out, in this order
                zip64 = true;
                int at = data;
                if (size == MAX32) {
                    size = zip64Value(extra, at, data + length, where);
                    at += 8;
                }
                if (compressedSize == MAX32) {
                    compressedSize = zip64Value(extra, at, data + length, where);
                }
            }
            i = data + length;
        }
        return new LocalHeader(name, ZipStructure.u16(fixed, 6), ZipStructure.u16(fixed, 8),
                ZipStructure.u32(fixed, 14), compressedSize, size, aes, zip64);
    }

    private static ZipStructure.AesInfo aesInfo(byte[] extra, int at, int length, String where)
            throws CorruptArchiveException {
        if (length != 7 || extra[at + 2] != 'A' || extra[at + 3] != 'E') {
            throw damaged(where, "its AES extra field is malformed");
        }
        int vendorVersion = ZipStructure.u16(extra, at);
        int keyStrength = extra[at + 4] & 0xFF;
        if ((vendorVersion != 1 && vendorVersion != 2) || keyStrength < 1 || keyStrength > 3) {
            throw damaged(where, "its AES extra field has vendor version " + vendorVersion + " and key strength "
                    + keyStrength + " (expected 1 or 2, and 1 to 3)");
        }
        return new ZipStructure.AesInfo(vendorVersion, keyStrength, ZipStructure.u16(extra, at + 5));
    }

    private static long zip64Value(byte[] extra, int at, int end, String where) throws CorruptArchiveException {
        if (at + 8 > end) {
            throw damaged(where, "its Zip64 extra field is too short");
        }
        long value = ZipStructure.u32(extra, at) | ZipStructure.u32(extra, at + 4) << 32;
        if (value < 0) {
            throw damaged(where, "its Zip64 extra field holds an implausible size");
        }
        return value;
    }

    private Zip4jCodec.EntryRead readEntry(LocalHeader header, Zip4jCodec.EntrySink sink) throws IOException {
        String where = header.where();
        if (!header.encrypted()) {
            if (header.method() == ZipStructure.METHOD_AES) {
                throw damaged(where, "compression method 99 (WinZip AES) without the encryption flag");
            }
            if (!header.directory()) {
                throw new UnencryptedEntryException(where + " is not encrypted, but a password was given: "
                        + "refused, since an encrypted archive never holds plain entries");
            }
        } else if (header.method() != ZipStructure.METHOD_AES) {
            throw new CorruptArchiveException(where + " is encrypted with ZipCrypto (method " + header.method()
                    + "), but only WinZip AES is supported");
        } else if (header.aes() == null) {
            throw damaged(where, "WinZip AES entry without an AES extra field");
        }
        int method = header.actualMethod();
        if (method != ZipStructure.METHOD_STORED && method != ZipStructure.METHOD_DEFLATED) {
            throw new CorruptArchiveException(where + " uses compression method " + method
                    + "; only STORED and DEFLATE are supported");
        }
        if (method == ZipStructure.METHOD_STORED && !header.knownLength()) {
            throw damaged(where, "a stored entry with a data descriptor and no size in its local header");
        }

        try (WinZipAes.EntryCrypto crypto = header.aes() == null ? null : openAes(header)) {
            return readData(header, crypto, sink);
        }
    }

    private Zip4jCodec.EntryRead readData(LocalHeader header, WinZipAes.EntryCrypto crypto, Zip4jCodec.EntrySink sink)
            throws IOException {
        String where = header.where();
        boolean knownLength = header.knownLength();
        long overhead = header.aes() == null ? 0 : header.aes().overhead();
        long dataLength = knownLength ? header.compressedSize() - overhead : -1;
        if (knownLength && dataLength < 0) {
            throw damaged(where, "compressed size " + header.compressedSize()
                    + " is smaller than the AES salt, verifier and authentication code");
        }
        OutputStream opened = sink.open(header.name());
        OutputStream out = opened != null ? opened : OutputStream.nullOutputStream(); // null: read and check only
        Checksum checksum = new Checksum(header.aes() == null || header.aes().vendorVersion() == 1);
        long consumed = header.actualMethod() == ZipStructure.METHOD_STORED
                ? copyStored(dataLength, crypto, out, checksum, where)
                : inflate(dataLength, crypto, out, checksum, where);

        if (crypto != null) {
            byte[] stored = raw.readExactly(WinZipAes.AUTHENTICATION_CODE_LENGTH, where);
            if (!MessageDigest.isEqual(stored, WinZipAes.authenticationCode(crypto.mac()))) {
                throw damaged(where, "AES authentication code (HMAC) mismatch: the encrypted data was altered");
            }
        }
        long compressedSize = consumed + overhead;
        long crc = header.crc();
        long declaredCompressed = header.compressedSize();
        long declaredSize = header.size();
        if (header.hasDataDescriptor()) {
            Descriptor descriptor = readDataDescriptor(header.zip64(), where);
            crc = descriptor.crc();
            declaredCompressed = descriptor.compressedSize();
            declaredSize = descriptor.size();
        }
        if (declaredCompressed != compressedSize) {
            throw damaged(where, "its compressed data ends after " + compressedSize + " bytes, but its header declares "
                    + declaredCompressed);
        }
        if (declaredSize != checksum.count()) {
            throw new CorruptArchiveException(where + " inflates to " + checksum.count()
                    + " bytes, but its header declares " + declaredSize);
        }
        if (checksum.checked() && crc != checksum.crc()) {
            throw damaged(where, String.format("CRC-32 mismatch (0x%08x computed, 0x%08x declared)", checksum.crc(), crc));
        }
        return new Zip4jCodec.EntryRead(header.name(), header.directory(), checksum.count(), compressedSize);
    }

    private WinZipAes.EntryCrypto openAes(LocalHeader header) throws IOException {
        String where = header.where();
        byte[] salt = raw.readExactly(header.aes().saltLength(), where);
        byte[] verifier = raw.readExactly(WinZipAes.PASSWORD_VERIFIER_LENGTH, where);
        WinZipAes.Keys keys = WinZipAes.deriveKeys(password, salt, 8 + 8 * header.aes().keyStrength());
        if (keys.passwordVerifier() != ZipStructure.u16(verifier, 0)) {
            throw new WrongPasswordException("wrong password for this archive (the AES password verifier of "
                    + where + " does not match)");
        }
        return WinZipAes.EntryCrypto.open(keys);
    }

    /** Passes {@code length} stored bytes through; returns how many were read. */
    private long copyStored(long length, WinZipAes.EntryCrypto crypto, OutputStream out, Checksum checksum,
                            String where) throws IOException {
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, Math.min(raw.fill(where), work.length));
            System.arraycopy(raw.buffer(), raw.position(), work, 0, n);
            authenticateAndDecrypt(crypto, n);
            raw.skip(n);
            checksum.update(work, n);
            out.write(work, 0, n); // a failure of the caller's stream is not damage: not translated
            left -= n;
        }
        return length;
    }

    /**
     * Inflates the entry's data, decrypting as it goes, to the end of the DEFLATE stream, which
     * with a data descriptor is the only way to find where the data ends. Bytes read past that end
     * stay in the input for what follows; the HMAC covers exactly the bytes the inflater used.
     *
     * @param length the data's length when the headers declare it, else -1
     * @return how many bytes of data were read
     */
    private long inflate(long length, WinZipAes.EntryCrypto crypto, OutputStream out, Checksum checksum,
                         String where) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            long consumed = 0;
            while (!inflater.finished()) {
                if (length >= 0 && consumed == length) {
                    throw damaged(where, "its DEFLATE data runs past its declared compressed size");
                }
                int n = raw.fill(where);
                n = (int) Math.min(n, work.length);
                if (length >= 0) {
                    n = (int) Math.min(n, length - consumed);
                }
                System.arraycopy(raw.buffer(), raw.position(), work, 0, n);
                if (crypto != null) {
                    crypto.keystream().apply(work, 0, n);
                }
                inflater.setInput(work, 0, n);
                inflateInput(inflater, out, checksum, where);
                int used = n - inflater.getRemaining();
                if (crypto != null) {
                    crypto.mac().update(raw.buffer(), raw.position(), used);
                }
                raw.skip(used);
                consumed += used;
            }
            if (length >= 0 && consumed != length) {
                throw damaged(where, "its DEFLATE data ends after " + consumed + " of its declared " + length + " bytes");
            }
            return consumed;
        } finally {
            inflater.end();
        }
    }

    private void inflateInput(Inflater inflater, OutputStream out, Checksum checksum, String where)
            throws IOException {
        while (!inflater.finished() && !inflater.needsInput()) {
            int n;
            try {
                n = inflater.inflate(plain);
            } catch (DataFormatException e) {
                throw new CorruptArchiveException(where + " is damaged: invalid DEFLATE data (" + e.getMessage() + ")", e);
            }
            if (n == 0 && inflater.needsDictionary()) {
                throw damaged(where, "invalid DEFLATE data (a preset dictionary is required)");
            }
            checksum.update(plain, n);
            out.write(plain, 0, n); // a failure of the caller's stream is not damage: not translated
        }
    }

    /** The MAC covers the ciphertext, so it sees {@code work}'s bytes before they are decrypted. */
    private void authenticateAndDecrypt(WinZipAes.EntryCrypto crypto, int length) {
        if (crypto != null) {
            crypto.mac().update(work, 0, length);
            crypto.keystream().apply(work, 0, length);
        }
    }

    private record Descriptor(long crc, long compressedSize, long size) {
    }

    /** A data descriptor, with or without its signature, as zip4j reads it. */
    private Descriptor readDataDescriptor(boolean zip64, String where) throws IOException {
        String what = where + "'s data descriptor";
        int sizeLength = zip64 ? 8 : 4;
        byte[] first = raw.readExactly(4, what);
        boolean signed = ZipStructure.u32(first, 0) == ZipStructure.DATA_DESCRIPTOR_SIGNATURE;
        byte[] rest = raw.readExactly((signed ? 4 : 0) + 2 * sizeLength, what);
        long crc = signed ? ZipStructure.u32(rest, 0) : ZipStructure.u32(first, 0);
        int at = signed ? 4 : 0;
        return new Descriptor(crc, size(rest, at, zip64, where), size(rest, at + sizeLength, zip64, where));
    }

    private static long size(byte[] bytes, int at, boolean zip64, String where) throws CorruptArchiveException {
        return zip64 ? zip64Value(bytes, at, bytes.length, where) : ZipStructure.u32(bytes, at);
    }

    private static CorruptArchiveException damaged(String where, String what) {
        return new CorruptArchiveException(where + " is damaged: " + what);
    }

    /** Counts an entry's bytes and, for plain and AE-1 entries, their CRC-32 (AE-2 has none). */
    private static final class Checksum {
        private final CRC32 crc;
        private long count;

        Checksum(boolean checked) {
            this.crc = checked ? new CRC32() : null;
        }

        void update(byte[] bytes, int length) {
            if (crc != null) {
                crc.update(bytes, 0, length);
            }
            count += length;
        }

        boolean checked() {
            return crc != null;
        }

        long crc() {
            return crc.getValue();
        }

        long count() {
            return count;
        }
    }

    /** The archive's bytes, buffered so that what an entry did not use stays for the next. */
    private static final class RawInput {
        private final InputStream in;
        private final byte[] buffer = new byte[Zip4jCodec.BUFFER_SIZE];
        private int position;
        private int limit;

        RawInput(InputStream in) {
            this.in = in;
        }

        byte[] buffer() {
            return buffer;
        }

        int position() {
            return position;
        }

        void skip(int n) {
            position += n;
        }

        /** Makes at least one byte available; returns how many are. */
        int fill(String where) throws IOException {
            if (!request(1)) {
                throw truncated(where);
            }
            return limit - position;
        }

        /** Makes {@code n} bytes (at most the buffer's size) available; false if the input ends first. */
        boolean request(int n) throws IOException {
            if (limit - position >= n) {
                return true;
            }
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
            while (limit < n) {
                int read = in.read(buffer, limit, buffer.length - limit);
                if (read < 0) {
                    return false;
                }
                limit += read;
            }
            return true;
        }

        byte[] readExactly(int n, String where) throws IOException {
            byte[] bytes = new byte[n];
            int done = 0;
            while (done < n) {
                int chunk = Math.min(n - done, fill(where));
                System.arraycopy(buffer, position, bytes, done, chunk);
                position += chunk;
                done += chunk;
            }
            return bytes;
        }

        private static CorruptArchiveException truncated(String where) {
            return new CorruptArchiveException(where + " is damaged: unexpected end of data, the archive is truncated");
        }
    }
}
