package io.vaultkeep.storage.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Keyguard's ZIP objects: DEFLATE entries, and with a password WinZip AES-256 (AE-2) on every
 * entry. Passwords are char arrays (the repository password, or a per-object key's Base64 string).
 *
 * <p>Errors (all {@link ArchiveException}s): {@link WrongPasswordException} when the password
 * does not open the archive, {@link UnencryptedEntryException} when a password is given but an
 * entry is plain (never accepted: it could be a forgery),
 * {@link CorruptArchiveException} when its bytes are damaged (bad structure, CRC or AES HMAC
 * mismatch, truncation), {@link ArchiveEntryMissingException} when an expected entry is absent.
 */
public interface ZipCodec {

    /** One entry to write: its name and a repeatable producer of its bytes. */
    record EntrySource(String name, EntryWriter writer, Compression compression) {
        public EntrySource(String name, EntryWriter writer) {
            this(name, writer, Compression.NORMAL);
        }

        public static EntrySource ofBytes(String name, byte[] bytes) {
            return new EntrySource(name, out -> out.write(bytes));
        }
    }

    /**
     * How hard DEFLATE works on an entry. The method is always DEFLATE (the format requires it);
     * {@code STORED_BLOCKS} is DEFLATE level 0, for bytes that do not compress (photos, PDFs,
     * archives), where compressing would only cost time.
     */
    enum Compression {
        NORMAL,
        STORED_BLOCKS;

        /** Test-compresses a sample of the content: if DEFLATE saves under 5%, it is not worth it. */
        public static Compression forSample(byte[] sample, int length) {
            if (length < 1024) {
                return NORMAL;
            }
            java.util.zip.Deflater deflater = new java.util.zip.Deflater(1, true);
            try {
                deflater.setInput(sample, 0, length);
                deflater.finish();
                byte[] out = new byte[length + 1024];
                int compressed = 0;
                while (!deflater.finished()) {
                    compressed += deflater.deflate(out);
                }
                return compressed < length * 0.95 ? NORMAL : STORED_BLOCKS;
            } finally {
                deflater.end();
            }
        }
    }

    @FunctionalInterface
    interface EntryWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a whole archive with the given entries, in order, to {@code out} (not closed). */
    void write(OutputStream out, List<EntrySource> entries, char[] passwordOrNull) throws IOException;

    /**
     * How many bytes reading may inflate: each entry by its name, and all entries together. An entry
     * that would inflate past its limit is damage (a ZIP bomb, or an object that is not what the
     * catalogue says): reading stops there with a {@link CorruptArchiveException}, so hostile input
     * costs neither memory nor time beyond the limits.
     */
    record EntryLimits(java.util.function.ToLongFunction<String> perEntry, long total,
                       java.util.function.ToLongFunction<String> expected) {
        public static final EntryLimits NONE = new EntryLimits(name -> Long.MAX_VALUE, Long.MAX_VALUE);

        /** Limits without an expected size for any entry. */
        public EntryLimits(java.util.function.ToLongFunction<String> perEntry, long total) {
            this(perEntry, total, name -> 0);
        }

        /**
         * The same limits, with the size each entry is expected to inflate to (0: unknown): {@link
         * ZipCodec#readAll} sizes its buffer for it, instead of growing one by doubling and copying it
         * once more at the end (a 6 MB vault cost ~20 MB of garbage that way). Only a hint, capped by the limits.
         */
        public EntryLimits expecting(java.util.function.ToLongFunction<String> sizes) {
            return new EntryLimits(perEntry, total, sizes);
        }

        /** At most {@code max} bytes for the whole archive (so for each entry too). */
        public static EntryLimits atMost(long max) {
            return new EntryLimits(name -> max, max);
        }
    }

    /** Reads every entry of a small archive into memory, in archive order, verifying each one. */
    default Map<String, byte[]> readAll(InputStream in, char[] passwordOrNull) throws IOException {
        return readAll(in, passwordOrNull, EntryLimits.NONE);
    }

    /** As {@link #readAll(InputStream, char[])}, inflating no more than the limits allow. */
    Map<String, byte[]> readAll(InputStream in, char[] passwordOrNull, EntryLimits limits) throws IOException;

    /**
     * Streams one entry's bytes to {@code out}, verifying its CRC/HMAC at the end; a damaged entry
     * throws after some bytes may have been written (callers write to a temporary place).
     */
    default void readEntry(InputStream in, String entryName, char[] passwordOrNull, OutputStream out) throws IOException {
        readEntry(in, entryName, passwordOrNull, out, EntryLimits.NONE);
    }

    /** As {@link #readEntry(InputStream, String, char[], OutputStream)}, inflating no more than the limits allow. */
    void readEntry(InputStream in, String entryName, char[] passwordOrNull, OutputStream out, EntryLimits limits)
            throws IOException;

    /**
     * Reads the whole archive and checks it strictly: structure (local and central headers agree,
     * end record intact), every entry decrypts and inflates with a matching CRC / AES HMAC.
     *
     * @return the entry names, in order
     */
    default List<String> verify(InputStream in, char[] passwordOrNull) throws IOException {
        return verify(in, passwordOrNull, EntryLimits.NONE);
    }

    /** As {@link #verify(InputStream, char[])}, inflating no more than the limits allow. */
    List<String> verify(InputStream in, char[] passwordOrNull, EntryLimits limits) throws IOException;

    /** What {@link #verifyAndRead} found: every entry's inflated size and the bytes of those kept, in archive order. */
    record VerifiedEntries(Map<String, Long> sizes, Map<String, byte[]> kept) {
    }

    /**
     * {@link #verify(InputStream, char[], EntryLimits)} and {@link #readAll(InputStream, char[], EntryLimits)}
     * in one pass: checked as strictly as the one; the entries {@code keep} names are returned as
     * by the other, the rest only counted. A check that reads the data needs both, and each pass
     * costs a key derivation per entry and the whole decryption; the bytes it only counts (a
     * snapshot's vault) need not be held.
     */
    VerifiedEntries verifyAndRead(InputStream in, char[] passwordOrNull, EntryLimits limits,
                                  java.util.function.Predicate<String> keep) throws IOException;

    /**
     * What {@link #readOne} found: the entry's bytes, and every entry's inflated size as the archive's headers declare
     * it (local and central headers agreeing), in archive order.
     */
    record OneEntry(byte[] content, Map<String, Long> declaredSizes) {
    }

    /**
     * Reads one entry of an archive whose structure is checked whole (end records, central directory, every local
     * header and data descriptor where it belongs, agreeing), decrypting and inflating that entry alone, with its
     * CRC / AES HMAC checked: the other entries' data is not read. A check without data reading needs a snapshot's
     * manifest and its vault's size, not the vault (its key derivation, decryption and inflating).
     *
     * @throws ArchiveEntryMissingException when the archive has no such entry
     */
    OneEntry readOne(InputStream in, String entryName, char[] passwordOrNull, EntryLimits limits) throws IOException;
}
