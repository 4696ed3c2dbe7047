package io.vaultkeep.storage.archive;

import static io.vaultkeep.storage.archive.TestArchives.password;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.archive.ZipCodec.EntryLimits;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading stops at an entry's limit: a ZIP bomb costs neither memory nor the time to inflate it all. */
class EntryLimitsTest {

    private static final int BOMB = 64 * 1024 * 1024; // zeros: deflates to about 64 KiB

    private final Zip4jCodec codec = new Zip4jCodec();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anEntryPastItsLimitIsDamageAndIsNotInflatedFurther(boolean encrypted) throws IOException {
        byte[] zip = archive(encrypted, EntrySource.ofBytes("small.json", new byte[100]), zeros("vault.json", BOMB));
        long[] written = {0};
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };

        CorruptArchiveException e = assertThrows(CorruptArchiveException.class, () -> codec.readEntry(
                new ByteArrayInputStream(zip), "vault.json", pw(encrypted), counting, EntryLimits.atMost(1_000_000)));

        assertEquals("entry 'vault.json' inflates past 1000000 bytes, more than it may hold", e.getMessage());
        assertTrue(written[0] <= 1_000_000, "nothing past the limit reached the caller: " + written[0]);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void perEntryLimitsAndTheTotalHoldInReadAll(boolean encrypted) throws IOException {
        byte[] zip = archive(encrypted, EntrySource.ofBytes("manifest.json", new byte[500]), zeros("vault.json", 5_000));
        EntryLimits exact = new EntryLimits(name -> name.equals("manifest.json") ? 500 : 5_000, 5_500);

        Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), pw(encrypted), exact);
        assertArrayEquals(new byte[5_000], read.get("vault.json"), "limits that fit change nothing");

        CorruptArchiveException tooMuch = assertThrows(CorruptArchiveException.class, () -> codec.readAll(
                new ByteArrayInputStream(zip), pw(encrypted), new EntryLimits(name -> 10_000, 5_499)));
        assertEquals("the archive inflates past 5499 bytes, more than it may hold (at entry 'vault.json')", tooMuch.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExpectedSizeIsOnlyAHintForTheBuffer(boolean encrypted) throws IOException {
        byte[] vault = new byte[5_000];
        for (int i = 0; i < vault.length; i++) {
            vault[i] = (byte) (i * 31 + i / 7);
        }
        byte[] zip = archive(encrypted, EntrySource.ofBytes("manifest.json", new byte[500]), EntrySource.ofBytes("vault.json", vault));
        EntryLimits limits = new EntryLimits(name -> 10_000, 20_000);
        // exact, too small, too large, and a claim far past what may be allocated up front
        for (long expected : new long[] {5_000, 1, 4_999, 5_001, 9_000, Long.MAX_VALUE, Integer.MAX_VALUE + 10L, -5}) {
            Map<String, byte[]> read = codec.readAll(new ByteArrayInputStream(zip), pw(encrypted),
                    limits.expecting(name -> name.equals("vault.json") ? expected : 0));
            assertArrayEquals(vault, read.get("vault.json"), "expected " + expected);
            assertArrayEquals(new byte[500], read.get("manifest.json"), "expected " + expected);
        }
        // the hint does not loosen the limits
        CorruptArchiveException e = assertThrows(CorruptArchiveException.class, () -> codec.readAll(new ByteArrayInputStream(zip),
                pw(encrypted), new EntryLimits(name -> 4_000, 20_000).expecting(name -> 5_000)));
        assertTrue(e.getMessage().startsWith("entry 'vault.json' inflates past 4000 bytes"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void entriesThatAreOnlyCheckedCountToo(boolean encrypted) throws IOException {
        byte[] zip = archive(encrypted, zeros("junk", BOMB), EntrySource.ofBytes("index.json", new byte[10]));

        CorruptArchiveException e = assertThrows(CorruptArchiveException.class, () -> codec.readEntry(
                new ByteArrayInputStream(zip), "index.json", pw(encrypted), new ByteArrayOutputStream(), EntryLimits.atMost(4096)));
        assertTrue(e.getMessage().startsWith("entry 'junk' inflates past 4096 bytes"), e.getMessage());
    }

    private static char[] pw(boolean encrypted) {
        return encrypted ? password() : null;
    }

    private static EntrySource zeros(String name, int size) {
        return new EntrySource(name, out -> {
            byte[] chunk = new byte[64 * 1024];
            for (int left = size; left > 0; left -= chunk.length) {
                out.write(chunk, 0, Math.min(left, chunk.length));
            }
        });
    }

    private byte[] archive(boolean encrypted, EntrySource... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(out, List.of(entries), pw(encrypted));
        return out.toByteArray();
    }
}
