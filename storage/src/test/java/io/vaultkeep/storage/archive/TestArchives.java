package io.vaultkeep.storage.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Archives for the tests, and a deliberately independent, minimal reading of their layout (it
 * assumes what the codec writes: no comments, no Zip64), so tests need not trust ZipStructure.
 */
final class TestArchives {

    static final String PASSWORD_TEXT = "correct horse – pässwörd ✓";

    private TestArchives() {
    }

    static char[] password() {
        return PASSWORD_TEXT.toCharArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] write(ZipCodec codec, char[] password, List<ZipCodec.EntrySource> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(out, entries, password);
        return out.toByteArray();
    }

    /** A few hundred bytes: three entries, one of them empty. */
    static byte[] small(char[] password) throws IOException {
        return write(new Zip4jCodec(), password, List.of(
                ZipCodec.EntrySource.ofBytes("a.json", utf8("{\"formatVersion\":1,\"app\":\"keyguard\"}")),
                ZipCodec.EntrySource.ofBytes("empty", new byte[0]),
                ZipCodec.EntrySource.ofBytes("b.txt", utf8("hello backup"))));
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xFFFFFFFFL;
    }

    /** One central directory header as found by walking from the end record. */
    record Central(int offset, int localHeaderOffset, long compressedSize, String name) {
        /** Offset of the entry's data: after its local header, name and extra field. */
        int dataOffset(byte[] zip) {
            return localHeaderOffset + 30 + u16(zip, localHeaderOffset + 26) + u16(zip, localHeaderOffset + 28);
        }
    }

    static List<Central> centralDirectory(byte[] zip) {
        int end = zip.length - 22;
        if (u32(zip, end) != 0x06054b50L) {
            throw new IllegalArgumentException("expected an end record without comment");
        }
        int count = u16(zip, end + 10);
        int position = (int) u32(zip, end + 16);
        List<Central> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int nameLength = u16(zip, position + 28);
            String name = new String(zip, position + 46, nameLength, StandardCharsets.UTF_8);
            headers.add(new Central(position, (int) u32(zip, position + 42), u32(zip, position + 20), name));
            position += 46 + nameLength + u16(zip, position + 30) + u16(zip, position + 32);
        }
        return headers;
    }

    static Central central(byte[] zip, String name) {
        return centralDirectory(zip).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static byte[] flipped(byte[] zip, int position) {
        byte[] copy = zip.clone();
        copy[position] ^= (byte) 0xFF;
        return copy;
    }
}
