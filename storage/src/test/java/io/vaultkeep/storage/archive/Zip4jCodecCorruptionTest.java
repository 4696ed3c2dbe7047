package io.vaultkeep.storage.archive;

import static io.vaultkeep.storage.archive.TestArchives.flipped;
import static io.vaultkeep.storage.archive.TestArchives.password;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damaged archives: every single-byte inversion, truncations, damaged entry data. */
class Zip4jCodecCorruptionTest {

    private static final List<String> SMALL_NAMES = List.of("a.json", "empty", "b.txt");

    private final Zip4jCodec codec = new Zip4jCodec();

    private static char[] passwordIf(boolean encrypted) {
        return encrypted ? password() : null;
    }

    /**
     * The only bytes whose inversion verify() accepts, with why. All are central-directory fields
     * that no reader of these archives interprets (zip4j's streaming reader never reads the
     * central directory; its ZipFile and java.util.zip ignore them for reading bytes):
     * <ul>
     *   <li>+4, +5 "version made by": the writer's spec version and host system; informational.
     *   <li>+36, +37 "internal file attributes": a "probably text" hint; informational.
     *   <li>+39, +40 external attributes bytes 1 and 2: an unused MS-DOS byte and the Unix
     *       permission bits. (Byte 0 holds the MS-DOS directory/volume bits and byte 3 the Unix
     *       file type, which zip4j's ZipFile acts on; inverting either is detected.)
     * </ul>
     */
    private static Map<Integer, String> toleratedPositions(byte[] zip) {
        Map<Integer, String> tolerated = new LinkedHashMap<>();
        for (TestArchives.Central central : TestArchives.centralDirectory(zip)) {
            int c = central.offset();
            tolerated.put(c + 4, "version made by (spec version), entry " + central.name());
            tolerated.put(c + 5, "version made by (host system), entry " + central.name());
            tolerated.put(c + 36, "internal attributes, entry " + central.name());
            tolerated.put(c + 37, "internal attributes, entry " + central.name());
            tolerated.put(c + 39, "external attributes, unused MS-DOS byte, entry " + central.name());
            tolerated.put(c + 40, "external attributes, Unix permission bits, entry " + central.name());
        }
        return tolerated;
    }

    /** A read of a damaged archive: what it returned, described ("accepted" when it is what the sound one gave). */
    @FunctionalInterface
    private interface Attempt {
        String accepted() throws IOException;
    }

    /** What the attempt came to: its own description, or how it refused (no secret in the refusal). */
    private static String outcomeOf(Attempt attempt) {
        try {
            return attempt.accepted();
        } catch (CorruptArchiveException e) {
            Zip4jCodecTest.assertNoSecretIn(e, TestArchives.PASSWORD_TEXT);
            return "corrupt";
        } catch (WrongPasswordException e) {
            Zip4jCodecTest.assertNoSecretIn(e, TestArchives.PASSWORD_TEXT);
            return "wrong password";
        } catch (IOException | RuntimeException e) {
            return "unexpected " + e;
        }
    }

    /** Accepted where the damage is acceptable, else refused: as corrupt, or in the password region as either. */
    private static boolean expected(String outcome, boolean acceptable, boolean passwordRegion) {
        if (acceptable) {
            return outcome.equals("accepted");
        }
        return outcome.equals("corrupt") || passwordRegion && outcome.equals("wrong password");
    }

    /** AES salt (16 bytes) and password verifier (2): damage there looks like a wrong password. */
    private static Set<Integer> saltAndVerifierPositions(byte[] zip) {
        Set<Integer> positions = new HashSet<>();
        for (TestArchives.Central central : TestArchives.centralDirectory(zip)) {
            int data = central.dataOffset(zip);
            for (int p = data; p < data + 18; p++) {
                positions.add(p);
            }
        }
        return positions;
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void verifyDetectsEveryInvertedByteOutsideTheToleratedFields(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        assertTrue(zip.length > 300 && zip.length < 700, "a small archive: " + zip.length + " bytes");
        assertEquals(SMALL_NAMES, codec.verify(new ByteArrayInputStream(zip), passwordIf(encrypted)));
        Map<Integer, String> tolerated = toleratedPositions(zip);
        Set<Integer> passwordRegion = encrypted ? saltAndVerifierPositions(zip) : Set.of();
        assertEquals(6 * SMALL_NAMES.size(), tolerated.size());

        List<String> problems = new ArrayList<>();
        for (int position = 0; position < zip.length; position++) {
            byte[] damaged = flipped(zip, position);
            String outcome = outcomeOf(() -> {
                List<String> names = codec.verify(new ByteArrayInputStream(damaged), passwordIf(encrypted));
                return names.equals(SMALL_NAMES) ? "accepted" : "accepted with names " + names;
            });
            if (!expected(outcome, tolerated.containsKey(position), passwordRegion.contains(position))) {
                problems.add("byte " + position + " (" + tolerated.getOrDefault(position, "not tolerated") + "): "
                        + outcome);
            }
        }
        assertEquals(List.of(), problems, "inverting single bytes of a " + zip.length + "-byte archive");
    }

    /**
     * verifyAndRead is verify and readAll in one pass: it refuses what verify refuses, with the
     * same kind of failure, and what it accepts it returns as readAll does (the entries kept; the
     * other one only its size). Every seventh byte
     * inverted, so every header and the data of every entry (verify's own test inverts every byte).
     */
    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void verifyAndReadRefusesWhatVerifyRefusesAndReadsWhatReadAllReads(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        Map<String, byte[]> expected = codec.readAll(new ByteArrayInputStream(zip), passwordIf(encrypted));
        assertEquals(SMALL_NAMES, List.copyOf(expected.keySet()));

        List<String> problems = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        for (int position = -1; position < zip.length; position += 7) {
            byte[] input = position < 0 ? zip : flipped(zip, position);
            String verified = outcome(() -> codec.verify(new ByteArrayInputStream(input), passwordIf(encrypted)));
            ZipCodec.VerifiedEntries[] read = new ZipCodec.VerifiedEntries[1];
            String both = outcome(() -> read[0] = codec.verifyAndRead(new ByteArrayInputStream(input),
                    passwordIf(encrypted), ZipCodec.EntryLimits.NONE, name -> !name.equals("b.txt")));
            if (!verified.equals(both)) {
                problems.add("byte " + position + ": verify " + verified + ", verifyAndRead " + both);
            } else if (verified.equals("accepted")) {
                accepted++;
                if (!read[0].kept().keySet().equals(Set.of("a.json", "empty"))
                        || !Arrays.equals(expected.get("a.json"), read[0].kept().get("a.json"))
                        || !Arrays.equals(expected.get("empty"), read[0].kept().get("empty"))) {
                    problems.add("byte " + position + ": kept " + read[0].kept().keySet() + ", read differently");
                }
                for (String name : SMALL_NAMES) {
                    if (read[0].sizes().get(name) != expected.get(name).length) {
                        problems.add("byte " + position + ": entry " + name + " counted " + read[0].sizes().get(name));
                    }
                }
            } else {
                refused++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(accepted >= 1 && refused > zip.length / 7 / 2, accepted + " accepted, " + refused + " refused");
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static String outcome(Read read) {
        try {
            read.run();
            return "accepted";
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void truncatedArchivesAreCorrupt(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        int firstData = TestArchives.centralDirectory(zip).get(0).dataOffset(zip);
        int centralDirectory = TestArchives.centralDirectory(zip).get(0).offset();
        int[] lengths = {0, 1, 4, 21, 29, 30, firstData, firstData + 20, zip.length / 2, centralDirectory,
                centralDirectory + 10, zip.length - 22, zip.length - 21, zip.length - 1};

        for (int length : lengths) {
            byte[] truncated = Arrays.copyOf(zip, length);
            String what = "cut to " + length + " of " + zip.length + " bytes";
            CorruptArchiveException verify = assertThrows(CorruptArchiveException.class,
                    () -> codec.verify(new ByteArrayInputStream(truncated), passwordIf(encrypted)), what);
            assertTrue(verify.getMessage().contains("truncated"), what + ": " + verify.getMessage());
            assertThrows(CorruptArchiveException.class,
                    () -> codec.readAll(new ByteArrayInputStream(truncated), passwordIf(encrypted)), what);
            assertThrows(CorruptArchiveException.class, () -> codec.readEntry(new ByteArrayInputStream(truncated),
                    "a.json", passwordIf(encrypted), OutputStream.nullOutputStream()), what);
        }
    }

    /**
     * readOne reads one entry of an archive whose structure it checks whole: every inverted byte is refused, as by
     * verify, except the tolerated fields and the other entries' data, which it does not read (what a check without
     * data reading relies on); what it accepts is that entry's bytes and every entry's declared size, unchanged.
     */
    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void readOneChecksTheWholeStructureAndOnlyItsEntrysData(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        Map<String, byte[]> all = codec.readAll(new ByteArrayInputStream(zip), passwordIf(encrypted));
        ZipCodec.OneEntry sound = codec.readOne(new ByteArrayInputStream(zip), "a.json", passwordIf(encrypted), ZipCodec.EntryLimits.NONE);
        assertArrayEquals(all.get("a.json"), sound.content());
        Map<String, Long> sizes = new LinkedHashMap<>();
        all.forEach((name, bytes) -> sizes.put(name, (long) bytes.length));
        assertEquals(sizes, sound.declaredSizes());
        assertEquals(SMALL_NAMES, List.copyOf(sound.declaredSizes().keySet()));

        Map<Integer, String> tolerated = toleratedPositions(zip);
        // the other entries' data, and (encrypted) the read entry's salt and verifier
        Set<Integer> unread = new HashSet<>();
        for (TestArchives.Central central : TestArchives.centralDirectory(zip)) {
            if (central.name().equals("a.json")) {
                continue;
            }
            for (int p = central.dataOffset(zip); p < central.dataOffset(zip) + central.compressedSize(); p++) {
                unread.add(p);
            }
        }
        Set<Integer> passwordRegion = new HashSet<>();
        for (int p = TestArchives.central(zip, "a.json").dataOffset(zip), end = p + 18; encrypted && p < end; p++) {
            passwordRegion.add(p);
        }
        assertTrue(unread.size() > 10, "the other entries hold data: " + unread.size() + " bytes");

        List<String> problems = new ArrayList<>();
        for (int position = 0; position < zip.length; position++) {
            byte[] damaged = flipped(zip, position);
            String outcome = outcomeOf(() -> {
                ZipCodec.OneEntry read = codec.readOne(new ByteArrayInputStream(damaged), "a.json", passwordIf(encrypted),
                        ZipCodec.EntryLimits.NONE);
                return Arrays.equals(read.content(), sound.content()) && read.declaredSizes().equals(sizes)
                        ? "accepted" : "accepted with other content or sizes";
            });
            boolean acceptable = tolerated.containsKey(position) || unread.contains(position);
            if (!expected(outcome, acceptable, passwordRegion.contains(position))) {
                problems.add("byte " + position + " (" + (unread.contains(position) ? "another entry's data"
                        : tolerated.getOrDefault(position, "read")) + "): " + outcome);
            }
        }
        assertEquals(List.of(), problems, "inverting single bytes of a " + zip.length + "-byte archive");

        ArchiveEntryMissingException missing = assertThrows(ArchiveEntryMissingException.class,
                () -> codec.readOne(new ByteArrayInputStream(zip), "c.json", passwordIf(encrypted), ZipCodec.EntryLimits.NONE));
        assertTrue(missing.getMessage().contains("'c.json' is not in the archive"), missing.getMessage());
        assertThrows(CorruptArchiveException.class, () -> codec.readOne(new ByteArrayInputStream(zip), "a.json",
                passwordIf(encrypted), ZipCodec.EntryLimits.atMost(all.get("a.json").length - 1)));
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void damagedEntryDataIsDetectedWhenReading(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        TestArchives.Central entry = TestArchives.central(zip, "a.json");
        int data = entry.dataOffset(zip);
        int end = data + (int) entry.compressedSize();
        // plain: a DEFLATE byte; encrypted: a ciphertext byte and a byte of the authentication code
        List<Integer> positions = encrypted ? List.of(data + 18 + 3, end - 1) : List.of(data + 3, end - 1);

        for (int position : positions) {
            byte[] damaged = flipped(zip, position);
            String what = "byte " + position + " inverted";
            CorruptArchiveException readAll = assertThrows(CorruptArchiveException.class,
                    () -> codec.readAll(new ByteArrayInputStream(damaged), passwordIf(encrypted)), what);
            assertTrue(readAll.getMessage().startsWith("entry 'a.json' is damaged: "), readAll.getMessage());
            Zip4jCodecTest.assertNoSecretIn(readAll, TestArchives.PASSWORD_TEXT);
            assertThrows(CorruptArchiveException.class, () -> codec.readEntry(new ByteArrayInputStream(damaged),
                    "a.json", passwordIf(encrypted), new ByteArrayOutputStream()), what);
            assertThrows(CorruptArchiveException.class,
                    () -> codec.verify(new ByteArrayInputStream(damaged), passwordIf(encrypted)), what);
        }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void damageAfterTheRequestedEntryStillFailsTheRead(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        TestArchives.Central last = TestArchives.central(zip, "b.txt");
        byte[] damaged = flipped(zip, last.dataOffset(zip) + (encrypted ? 20 : 2));

        assertThrows(CorruptArchiveException.class, () -> codec.readEntry(new ByteArrayInputStream(damaged),
                "a.json", passwordIf(encrypted), new ByteArrayOutputStream()));
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void damagedLocalHeaderIsNotMistakenForTheEndOfTheEntries(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        // zip4j's streaming reader stops at the first non-local-header signature
        byte[] damaged = flipped(zip, TestArchives.central(zip, "b.txt").localHeaderOffset());

        CorruptArchiveException readAll = assertThrows(CorruptArchiveException.class,
                () -> codec.readAll(new ByteArrayInputStream(damaged), passwordIf(encrypted)));
        assertTrue(readAll.getMessage().contains("lists 3 entries, but 2 could be read"), readAll.getMessage());
        assertThrows(CorruptArchiveException.class, () -> codec.readEntry(new ByteArrayInputStream(damaged),
                "a.json", passwordIf(encrypted), new ByteArrayOutputStream()));
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void bytesAroundTheArchiveAreRejected(boolean encrypted) throws IOException {
        byte[] zip = TestArchives.small(passwordIf(encrypted));
        byte[] appended = Arrays.copyOf(zip, zip.length + 3);
        byte[] prepended = new byte[zip.length + 3];
        System.arraycopy(zip, 0, prepended, 3, zip.length);

        for (byte[] damaged : List.of(appended, prepended)) {
            assertThrows(CorruptArchiveException.class,
                    () -> codec.verify(new ByteArrayInputStream(damaged), passwordIf(encrypted)));
            assertThrows(CorruptArchiveException.class,
                    () -> codec.readAll(new ByteArrayInputStream(damaged), passwordIf(encrypted)));
        }
    }
}
