package io.vaultkeep.protocol.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The streaming codecs against the databind mapper they replace: the same bytes written for every
 * document, and for every input the same record or the same error read, whether the streaming
 * reader takes the input or leaves it to databind.
 */
class RepositoryJsonPropertiesTest {

    private static final ObjectMapper TREES = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ---- writing

    @Property(tries = 200)
    void writesTheBytesDatabindWrites(@ForAll("documents") Object document) {
        assertEquals(text(RepositoryJson.writeWithDatabind(document)), text(RepositoryJson.write(document)));
    }

    @Example
    void writesFixedDocumentsAsDatabindDoes() {
        Instant at = Instant.parse("2026-12-07T01:02:03.000456Z");
        List<Object> documents = List.of(
                IndexDocument.empty(),
                new IndexDocument(null, "i\u0000\"\\\u001f\u007f\u00e9\u2028\ud83d\ude00", Long.MIN_VALUE,
                        List.of("a", ""), Instant.MAX, Map.of("s", new SnapshotEntry(null, Instant.MIN, Long.MAX_VALUE,
                        null, null, null)), Map.of("f", new AttachmentEntry(null, null, null, null)),
                        Map.of("b", new BlobEntry("p", Long.MIN_VALUE, 0L, at, at, at,
                                ObjectEncryption.zipAes256("k"))), Map.of("h", "b")),
                new SnapshotManifest(null, null, null, null, null, null, null),
                new SnapshotManifest(7, "s", at, new SnapshotManifest.Options(false), new SnapshotManifest.VaultRef(null, -1),
                        List.of(new ManifestAttachment(null, null, null, null, null, null, null, null, null, null)),
                        new SnapshotStats(Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1)),
                RepoDocument.create("r", at, true),
                new RepoDocument(null, null, null, null, null, null, null),
                LockDocument.RELEASED,
                new LockDocument("vaultkeep backup", "nas", 4242, at, at.plusSeconds(30), "t"));
        for (Object document : documents) {
            assertEquals(text(RepositoryJson.writeWithDatabind(document)), text(RepositoryJson.write(document)),
                    document.getClass().getSimpleName());
        }
    }

    @Example
    void aNullMapValueIsWrittenAsDatabindWritesIt() {
        Map<String, BlobEntry> blobs = new HashMap<>();
        blobs.put("b1", null);
        Map<String, String> hashes = new HashMap<>();
        hashes.put("h1", null);
        hashes.put("h2", "b2");
        IndexDocument index = new IndexDocument(1, "i", 1, List.of(), null, Map.of(), Map.of(), blobs, hashes);
        String written = text(RepositoryJson.write(index));
        assertEquals(text(RepositoryJson.writeWithDatabind(index)), written);
        assertEquals(true, written.contains("\"blobs\":{\"b1\":null}"), written);
    }

    @Example
    void aLoneSurrogateIsWrittenOrRefusedAsDatabindDoes() {
        for (String odd : List.of("\ud800", "a\udc00b", "\ud83d", "x\ud83d\ud83d")) {
            LockDocument lock = new LockDocument(odd, "h", 1, null, null, null);
            assertEquals(outcome(() -> text(RepositoryJson.writeWithDatabind(lock))),
                    outcome(() -> text(RepositoryJson.write(lock))), odd);
        }
    }

    // ---- reading

    @Property(tries = 200)
    void readsWhatDatabindWroteWithoutDatabind(@ForAll("documents") Object document, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ObjectNode tree = (ObjectNode) TREES.readTree(RepositoryJson.writeWithDatabind(document));
        // the shape kept: fields in any order, unknown fields of every shape, any whitespace
        mutate(tree, random, false);
        byte[] json = render(tree, random);
        Object fast = readWithoutDatabind(json, document.getClass());
        assertEquals(RepositoryJson.readWithDatabind(json, document.getClass(), "doc"), fast);
        assertEquals(text(RepositoryJson.writeWithDatabind(document)), text(RepositoryJson.write(fast)),
                "read back, the document is the one written");
    }

    @Property(tries = 200)
    void readsEveryMutationAsDatabindDoes(@ForAll("documents") Object document, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ObjectNode tree = (ObjectNode) TREES.readTree(RepositoryJson.writeWithDatabind(document));
        // fields missing, explicit nulls, and values of other types than the canonical one
        mutate(tree, random, true);
        assertSameReading(render(tree, random), document.getClass());
    }

    @Property(tries = 200)
    void readsMalformedInputAsDatabindDoes(@ForAll("documents") Object document, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] json = RepositoryJson.writeWithDatabind(document);
        byte[] broken = switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(json, random.nextInt(json.length)); // truncated
            case 1 -> { // one byte replaced by a structural or odd one
                byte[] copy = json.clone();
                String odd = "{}[],:\"\\ 0-x\u0000";
                copy[random.nextInt(copy.length)] = (byte) odd.charAt(random.nextInt(odd.length()));
                yield copy;
            }
            case 2 -> { // a byte that is no UTF-8
                byte[] copy = json.clone();
                copy[random.nextInt(copy.length)] = (byte) (0x80 + random.nextInt(0x80));
                yield copy;
            }
            default -> { // another root
                String[] roots = {"", " ", "null", "[]", "[" + text(json) + "]", "1", "\"x\"", "true", text(json) + " trailing"};
                yield roots[random.nextInt(roots.length)].getBytes(StandardCharsets.UTF_8);
            }
        };
        assertSameReading(broken, document.getClass());
    }

    @Example
    void readsCoercedAndOddValuesAsDatabindDoes() {
        String[] indexes = {
                "{\"generation\":\"12\"}", "{\"generation\":1.0}", "{\"generation\":null}", "{\"generation\":true}",
                "{\"generation\":99999999999999999999}", "{\"formatVersion\":\"1\"}", "{\"formatVersion\":3000000000}",
                "{\"indexId\":12}", "{\"indexId\":false}", "{\"indexId\":{}}", "{\"updatedAt\":1700000000}",
                "{\"updatedAt\":1700000000.5}", "{\"updatedAt\":\"1700000000\"}", "{\"updatedAt\":\" 2026-01-01T00:00:00Z\"}",
                "{\"updatedAt\":\"2026-01-01T00:00:00+01:00\"}", "{\"updatedAt\":\"2026-01-01T23:59:60Z\"}",
                "{\"updatedAt\":\"2026-02-30T00:00:00Z\"}", "{\"updatedAt\":\"\"}", "{\"updatedAt\":\"2026-01-01T24:00:00Z\"}",
                "{\"updatedAt\":\"+10000-01-01T00:00:00Z\"}", "{\"updatedAt\":\"10000-01-01T00:00:00Z\"}",
                "{\"updatedAt\":\"-1000000000-01-01T00:00:00Z\"}", "{\"updatedAt\":\"2026-01-01t00:00:00z\"}",
                "{\"parentIndexIds\":\"a\"}", "{\"parentIndexIds\":[null]}", "{\"parentIndexIds\":[1]}",
                "{\"snapshots\":[]}", "{\"snapshots\":{\"s\":{\"stats\":{\"cipherCount\":1.5}}}}",
                "{\"snapshots\":{\"s\":{\"blobIds\":[\"b\",null]}}}", "{\"contentHashes\":{\"h\":1}}",
                "{\"contentHashes\":{\"h\":\"a\",\"h\":\"b\"}}", "{\"indexId\":\"a\",\"indexId\":\"b\"}",
                "{\"generation\":1,\"generation\":2}", "{\"x\":1,\"x\":2,\"indexId\":\"a\"}",
                "{\"blobs\":{\"b\":{\"encryption\":\"none\"}}}", "{\"blobs\":{\"b\":{\"encryption\":{\"method\":null}}}}",
                "{}", "{\"unknown\":[{\"a\":[1,{\"b\":null}]}],\"indexId\":\"i\"}", "{\"indexId\":\"i\"} {\"indexId\":\"j\"}",
                "{\"generation\":-0}", "{\"generation\":9223372036854775807}", "{\"generation\":-9223372036854775809}",
        };
        for (String json : indexes) {
            assertSameReading(json.getBytes(StandardCharsets.UTF_8), IndexDocument.class);
        }
        String[] others = {
                "{\"options\":{\"includeAttachments\":\"false\"}}", "{\"options\":{\"includeAttachments\":0}}",
                "{\"options\":null,\"vault\":null,\"attachments\":null,\"stats\":null}", "{\"attachments\":[null]}",
                "{\"vault\":{\"size\":\"5\"}}", "{\"stats\":{\"newBlobCount\":2147483648}}",
        };
        for (String json : others) {
            assertSameReading(json.getBytes(StandardCharsets.UTF_8), SnapshotManifest.class);
        }
        assertSameReading("{\"pid\":\"42\",\"owner\":\"o\"}".getBytes(StandardCharsets.UTF_8), LockDocument.class);
        assertSameReading("{\"features\":null,\"crypto\":{},\"layout\":{\"repo\":null}}".getBytes(StandardCharsets.UTF_8),
                RepoDocument.class);
    }

    @Example
    void readsTheRepositoryDocumentsOfVaultKeepAndKeyguardWithoutDatabind() throws Exception {
        Map<String, Class<?>> fixtures = Map.of(
                "journal-0.1.0-repo.json", RepoDocument.class,
                "journal-0.1.0-index-1.json", IndexDocument.class,
                "journal-0.1.0-index-11.json", IndexDocument.class,
                "journal-0.1.0-manifest.json", SnapshotManifest.class,
                "keyguard-repo.json", RepoDocument.class,
                "keyguard-index-1.json", IndexDocument.class,
                "keyguard-index-2.json", IndexDocument.class,
                "keyguard-manifest.json", SnapshotManifest.class);
        for (Map.Entry<String, Class<?>> fixture : fixtures.entrySet()) {
            byte[] json = resource(fixture.getKey());
            Object fast = readWithoutDatabind(json, fixture.getValue());
            assertEquals(RepositoryJson.readWithDatabind(json, fixture.getValue(), "doc"), fast, fixture.getKey());
            assertEquals(text(RepositoryJson.writeWithDatabind(fast)), text(RepositoryJson.write(fast)), fixture.getKey());
            if (fixture.getKey().startsWith("journal-")) {
                // written by VaultKeep 0.1.0 through databind: written again to the same bytes
                assertEquals(text(json).trim(), text(RepositoryJson.write(fast)), fixture.getKey());
            }
        }
    }

    private static final java.util.regex.Pattern ISO_INSTANT =
            java.util.regex.Pattern.compile("[+-]?[0-9]{4,10}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9](\\.[0-9]{1,9})?Z");

    @Property(tries = 200)
    void takesAnInstantInTheFormItIsWritten(@ForAll("instantTexts") String text) {
        assertEquals(ISO_INSTANT.matcher(text).matches(), DocumentReader.isoInstant(text), text);
    }

    @Provide
    Arbitrary<String> instantTexts() {
        Arbitrary<String> written = instants().map(Instant::toString);
        Arbitrary<String> edited = Combinators.combine(written, Arbitraries.integers().between(0, 40),
                Arbitraries.of('0', '9', '6', '-', '+', 'T', ':', '.', 'Z', 'z', ' ')).as((text, at, c) ->
                at < text.length() && at % 2 == 0 ? text.substring(0, at) + c + text.substring(at + 1)
                        : at < text.length() ? text.substring(0, at) + c + text.substring(at) : text + c);
        return Arbitraries.oneOf(written, edited, Arbitraries.strings().withChars("0123456789-+T:.Z").ofMaxLength(32));
    }

    // ---- helpers

    /** The streaming reader alone: it must take the input, not leave it to databind. */
    private static Object readWithoutDatabind(byte[] json, Class<?> type) {
        try {
            return DocumentReader.read(FACTORY, json, type);
        } catch (DocumentReader.Unexpected e) {
            throw new AssertionError("the streaming reader left this input to databind: " + text(json), e);
        }
    }

    private static void assertSameReading(byte[] json, Class<?> type) {
        Outcome expected = outcome(() -> RepositoryJson.readWithDatabind(json, type, "doc"));
        Outcome actual = outcome(() -> RepositoryJson.read(json, type, "doc"));
        assertEquals(expected, actual, () -> "input: " + text(json));
        if (expected.value() != null) {
            assertArrayEquals(RepositoryJson.writeWithDatabind(expected.value()), RepositoryJson.write(actual.value()));
        }
    }

    private record Outcome(Object value, String error) {}

    private interface Reading {
        Object read() throws Exception;
    }

    private static Outcome outcome(Reading reading) {
        try {
            Object value = reading.read();
            assertNotNull(value);
            return new Outcome(value, null);
        } catch (Exception e) {
            return new Outcome(null, e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** The index's maps, keyed by id: their entries are not fields, an unknown one would be an entry. */
    private static final java.util.Set<String> MAPS = java.util.Set.of("snapshots", "attachments", "blobs", "contentHashes");

    /**
     * Mutates every object of the tree: fields shuffled and unknown fields of every shape added; with
     * {@code retype}, also fields removed, set to null or given a value of another shape.
     */
    private static void mutate(ObjectNode object, Random random, boolean retype) {
        mutate(object, false, random, retype);
    }

    private static void mutate(ObjectNode object, boolean isMap, Random random, boolean retype) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        object.fields().forEachRemaining(fields::add);
        for (Map.Entry<String, JsonNode> field : fields) {
            mutateValue(field.getValue(), !isMap && MAPS.contains(field.getKey()), random, retype);
        }
        object.removeAll();
        Collections.shuffle(fields, random);
        for (Map.Entry<String, JsonNode> field : fields) {
            if (!isMap && random.nextInt(4) == 0) {
                object.set("unknown" + random.nextInt(1000), anyValue(random, 2));
            }
            JsonNode value = field.getValue();
            if (retype) {
                switch (random.nextInt(8)) {
                    case 0 -> value = null;
                    case 1 -> value = NODES.nullNode();
                    case 2 -> value = anyValue(random, 1);
                    default -> { }
                }
            }
            if (value != null) {
                object.set(field.getKey(), value);
            }
        }
        if (!isMap && random.nextInt(4) == 0) {
            object.set("trailingUnknown", anyValue(random, 2));
        }
    }

    private static void mutateValue(JsonNode value, boolean isMap, Random random, boolean retype) {
        if (value instanceof ObjectNode object) {
            mutate(object, isMap, random, retype);
        } else if (value instanceof ArrayNode array) {
            for (JsonNode element : array) {
                mutateValue(element, false, random, retype);
            }
        }
    }

    /** Any JSON value, instants and numbers as strings and the other way round among them. */
    private static JsonNode anyValue(Random random, int depth) {
        int kinds = depth > 0 ? 16 : 13;
        return switch (random.nextInt(kinds)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(100));
            case 3 -> NODES.numberNode(random.nextLong());
            case 4 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 5 -> NODES.numberNode(random.nextDouble() * 100);
            case 6 -> NODES.textNode("12");
            case 7 -> NODES.textNode("");
            case 8 -> NODES.textNode("2026-12-07T01:02:03.456Z");
            case 9 -> NODES.numberNode(1_765_069_323L);
            case 10 -> NODES.textNode("1765069323");
            case 11 -> NODES.textNode("tr\u00fce \"q\" \\ \u0001");
            case 12 -> NODES.textNode("true");
            case 13 -> NODES.objectNode();
            case 14 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(anyValue(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set("k" + i, anyValue(random, depth - 1));
                }
                yield object;
            }
        };
    }

    /** Compact, pretty, or with blanks of every kind around the tokens. */
    private static byte[] render(JsonNode tree, Random random) throws IOException {
        return switch (random.nextInt(3)) {
            case 0 -> TREES.writeValueAsBytes(tree);
            case 1 -> TREES.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
            default -> {
                String compact = TREES.writeValueAsString(tree);
                StringBuilder spaced = new StringBuilder();
                boolean inString = false;
                for (int i = 0; i < compact.length(); i++) {
                    char c = compact.charAt(i);
                    if (c == '"' && (i == 0 || compact.charAt(i - 1) != '\\' || compact.charAt(i - 2) == '\\')) {
                        inString = !inString;
                    }
                    spaced.append(c);
                    if (!inString && "{}[],:".indexOf(c) >= 0) {
                        spaced.append(" \t\r\n".charAt(random.nextInt(4)));
                    }
                }
                yield ("\n " + spaced + " \n").getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RepositoryJsonPropertiesTest.class.getResourceAsStream("/repository/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    // ---- documents

    @Provide
    Arbitrary<Object> documents() {
        return Arbitraries.oneOf(index(), manifest(), repo(), lock());
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("-_/.").ofMaxLength(12)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(8)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\uffff')
                        .ofMaxLength(8)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff).list().ofMaxSize(3)
                        .map(codePoints -> codePoints.stream().map(Character::toString).reduce("", String::concat))),
                Tuple.of(1, Arbitraries.of("", "\"", "\\", "\u0000\u001f\u007f", "\u2028\u2029", "\u00e9t\u00e9", "</script>")));
    }

    private static Arbitrary<String> nullableStrings() {
        return strings().injectNull(0.2);
    }

    private static Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 4_102_444_800L)),
                Tuple.of(1, Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())),
                Tuple.of(1, Arbitraries.of(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond(), -1L, 0L,
                        253_402_300_799L, 253_402_300_800L, -62_167_219_200L, -62_167_219_201L)));
        Arbitrary<Integer> nanos = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000)),
                Tuple.of(1, Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000)),
                Tuple.of(2, Arbitraries.integers().between(0, 999_999_999)));
        return Combinators.combine(seconds, nanos).as((s, n) -> Instant.ofEpochSecond(s, n));
    }

    private static Arbitrary<Instant> nullableInstants() {
        return instants().injectNull(0.2);
    }

    private static Arbitrary<Long> nullableLongs() {
        return Arbitraries.longs().injectNull(0.2);
    }

    private static Arbitrary<List<String>> stringLists() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<String>of())),
                Tuple.of(1, strings().list().ofSize(1)),
                Tuple.of(1, strings().list().ofMaxSize(5))).injectNull(0.2);
    }

    /** Empty, one entry or many, now and then a null value or a null map. */
    private static <V> Arbitrary<Map<String, V>> maps(Arbitrary<V> values) {
        Arbitrary<V> nullableValues = values.injectNull(0.05);
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Map.<String, V>of())),
                Tuple.of(2, Arbitraries.maps(strings(), nullableValues).ofSize(1)),
                Tuple.of(2, Arbitraries.maps(strings(), nullableValues).ofMaxSize(5))).injectNull(0.1);
    }

    private static Arbitrary<ObjectEncryption> encryptions() {
        return Arbitraries.oneOf(
                Arbitraries.just(ObjectEncryption.NONE),
                strings().map(ObjectEncryption::zipAes256),
                Combinators.combine(nullableStrings(), nullableStrings()).as(ObjectEncryption::new)).injectNull(0.2);
    }

    private static Arbitrary<SnapshotStats> stats() {
        Arbitrary<Integer> counts = Arbitraries.integers();
        return Combinators.combine(counts, counts, counts, counts, counts).as(SnapshotStats::new).injectNull(0.2);
    }

    private static Arbitrary<IndexDocument> index() {
        Arbitrary<SnapshotEntry> snapshots = Combinators.combine(nullableStrings(), nullableInstants(), Arbitraries.longs(),
                stringLists(), encryptions(), stats()).as(SnapshotEntry::new);
        Arbitrary<AttachmentEntry> attachments = Combinators.combine(nullableStrings(), nullableLongs(), nullableInstants(),
                nullableInstants()).as(AttachmentEntry::new);
        Arbitrary<BlobEntry> blobs = Combinators.combine(nullableStrings(), nullableLongs(), nullableLongs(),
                nullableInstants(), nullableInstants(), nullableInstants(), encryptions()).as(BlobEntry::new);
        Arbitrary<IndexDocument> head = Combinators.combine(Arbitraries.integers().injectNull(0.2), nullableStrings(),
                Arbitraries.longs(), stringLists(), nullableInstants()).as((version, id, generation, parents, at) ->
                new IndexDocument(version, id, generation, parents, at, null, null, null, null));
        return Combinators.combine(head, maps(snapshots), maps(attachments), maps(blobs), maps(strings()))
                .as((h, s, a, b, c) -> new IndexDocument(h.formatVersion(), h.indexId(), h.generation(),
                        h.parentIndexIds(), h.updatedAt(), s, a, b, c));
    }

    private static Arbitrary<SnapshotManifest> manifest() {
        Arbitrary<ManifestAttachment> attachment = Combinators.combine(
                Combinators.combine(nullableStrings(), nullableStrings(), nullableStrings(), nullableStrings(),
                        nullableStrings()).as((a, b, c, d, e) -> java.util.Arrays.asList(a, b, c, d, e)),
                nullableLongs(),
                Combinators.combine(nullableStrings(), nullableStrings(), nullableStrings(), nullableStrings())
                        .as((a, b, c, d) -> java.util.Arrays.asList(a, b, c, d)))
                .as((a, size, b) -> new ManifestAttachment(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4), size,
                        b.get(0), b.get(1), b.get(2), b.get(3)));
        Arbitrary<SnapshotManifest.Options> options = Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.3)
                .map(SnapshotManifest.Options::new).injectNull(0.2);
        Arbitrary<SnapshotManifest.VaultRef> vault = Combinators.combine(nullableStrings(), Arbitraries.longs())
                .as(SnapshotManifest.VaultRef::new).injectNull(0.2);
        Arbitrary<List<ManifestAttachment>> attachments = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<ManifestAttachment>of())),
                Tuple.of(1, attachment.list().ofSize(1)),
                Tuple.of(1, attachment.list().ofMaxSize(4))).injectNull(0.2);
        return Combinators.combine(Arbitraries.integers().injectNull(0.2), nullableStrings(), nullableInstants(),
                options, vault, attachments, stats()).as(SnapshotManifest::new);
    }

    private static Arbitrary<RepoDocument> repo() {
        Arbitrary<RepoCrypto> crypto = Combinators.combine(nullableStrings(), nullableStrings(), nullableStrings())
                .as(RepoCrypto::new).injectNull(0.2);
        Arbitrary<RepoLayout> layout = Combinators.combine(nullableStrings(), nullableStrings(), nullableStrings(),
                nullableStrings()).as(RepoLayout::new).injectNull(0.2);
        return Combinators.combine(Arbitraries.integers().injectNull(0.2), nullableStrings(), nullableInstants(),
                nullableStrings(), stringLists(), crypto, layout).as(RepoDocument::new);
    }

    private static Arbitrary<LockDocument> lock() {
        return Combinators.combine(nullableStrings(), nullableStrings(), Arbitraries.longs(), nullableInstants(),
                nullableInstants(), nullableStrings()).as(LockDocument::new);
    }
}
