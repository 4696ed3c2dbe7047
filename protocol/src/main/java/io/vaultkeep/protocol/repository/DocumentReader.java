package io.vaultkeep.protocol.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the repository documents on jackson-core alone, in the shape the databind mapper of
 * {@link RepositoryJson} writes (or Keyguard does: fields missing or in any order, unknown fields
 * skipped, explicit nulls). It builds each record through its canonical constructor from exactly
 * the values databind would pass. Anything else (a token of another type, e.g. a number for a
 * string or an instant, an instant in another form, a null for a primitive or inside a list, a
 * field given twice, a root that is not an object, a parse error) is {@link Unexpected}: the caller
 * reads the same bytes with databind, so that its coercions and its errors stay exactly as they were.
 */
final class DocumentReader {

    /** The input leaves the shape this reader knows; databind decides what it means. */
    static final class Unexpected extends Exception {
        private static final Unexpected INSTANCE = new Unexpected();

        private Unexpected() {
            super("not the canonical shape", null, false, false);
        }
    }

    private final JsonParser in;

    private DocumentReader(JsonParser in) {
        this.in = in;
    }

    /** Whether {@link #read} knows {@code type}'s document. */
    static boolean reads(Class<?> type) {
        return DocumentWriter.writes(type);
    }

    /** @throws Unexpected for any input databind must read instead, parse errors included */
    static <T> T read(JsonFactory factory, byte[] json, Class<T> type) throws Unexpected {
        try (JsonParser parser = factory.createParser(json)) {
            DocumentReader reader = new DocumentReader(parser);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw Unexpected.INSTANCE;
            }
            Object document;
            if (type == IndexDocument.class) {
                document = reader.index();
            } else if (type == SnapshotManifest.class) {
                document = reader.manifest();
            } else if (type == RepoDocument.class) {
                document = reader.repo();
            } else if (type == LockDocument.class) {
                document = reader.lock();
            } else {
                throw Unexpected.INSTANCE;
            }
            // what follows the root object is not read, as databind does not (FAIL_ON_TRAILING_TOKENS off)
            return type.cast(document);
        } catch (IOException | RuntimeException e) {
            // a parse error, or a compact constructor refusing a value: databind reports it its own way
            throw Unexpected.INSTANCE;
        }
    }

    /** The fields of the object whose START_OBJECT is current, one call per field, each field once. */
    private final class Fields {
        private final List<String> seen = new ArrayList<>(10);

        /** The next field's name with its value's first token current, or null at the object's end. */
        String next() throws IOException, Unexpected {
            String name = in.nextFieldName();
            if (name == null) {
                if (in.currentToken() != JsonToken.END_OBJECT) {
                    throw Unexpected.INSTANCE;
                }
                return null;
            }
            // databind's record creator takes a repeated field its own way: leave that to it
            if (seen.contains(name)) {
                throw Unexpected.INSTANCE;
            }
            seen.add(name);
            in.nextToken();
            return name;
        }
    }

    /** An unknown field's value, skipped whatever its shape (FAIL_ON_UNKNOWN_PROPERTIES off). */
    private void skip() throws IOException {
        in.skipChildren();
    }

    private IndexDocument index() throws IOException, Unexpected {
        Integer formatVersion = null;
        String indexId = null;
        long generation = 0;
        List<String> parentIndexIds = null;
        Instant updatedAt = null;
        Map<String, SnapshotEntry> snapshots = null;
        Map<String, AttachmentEntry> attachments = null;
        Map<String, BlobEntry> blobs = null;
        Map<String, String> contentHashes = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "formatVersion" -> formatVersion = integerOrNull();
                case "indexId" -> indexId = stringOrNull();
                case "generation" -> generation = longValue();
                case "parentIndexIds" -> parentIndexIds = strings();
                case "updatedAt" -> updatedAt = instant();
                case "snapshots" -> snapshots = map(SNAPSHOTS);
                case "attachments" -> attachments = map(ATTACHMENTS);
                case "blobs" -> blobs = map(BLOBS);
                case "contentHashes" -> contentHashes = map(STRINGS);
                default -> skip();
            }
        }
        return new IndexDocument(formatVersion, indexId, generation, parentIndexIds, updatedAt,
                snapshots, attachments, blobs, contentHashes);
    }

    private SnapshotEntry snapshotEntry() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String path = null;
        Instant createdAt = null;
        long vaultSize = 0;
        List<String> blobIds = null;
        ObjectEncryption encryption = null;
        SnapshotStats stats = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "path" -> path = stringOrNull();
                case "createdAt" -> createdAt = instant();
                case "vaultSize" -> vaultSize = longValue();
                case "blobIds" -> blobIds = strings();
                case "encryption" -> encryption = encryption();
                case "stats" -> stats = stats();
                default -> skip();
            }
        }
        return new SnapshotEntry(path, createdAt, vaultSize, blobIds, encryption, stats);
    }

    private AttachmentEntry attachmentEntry() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String blobId = null;
        Long plainSize = null;
        Instant createdAt = null;
        Instant lastSeenAt = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "blobId" -> blobId = stringOrNull();
                case "plainSize" -> plainSize = longOrNull();
                case "createdAt" -> createdAt = instant();
                case "lastSeenAt" -> lastSeenAt = instant();
                default -> skip();
            }
        }
        return new AttachmentEntry(blobId, plainSize, createdAt, lastSeenAt);
    }

    private BlobEntry blobEntry() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String path = null;
        Long plainSize = null;
        Long encryptedSize = null;
        Instant createdAt = null;
        Instant lastSeenAt = null;
        Instant lastValidatedAt = null;
        ObjectEncryption encryption = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "path" -> path = stringOrNull();
                case "plainSize" -> plainSize = longOrNull();
                case "encryptedSize" -> encryptedSize = longOrNull();
                case "createdAt" -> createdAt = instant();
                case "lastSeenAt" -> lastSeenAt = instant();
                case "lastValidatedAt" -> lastValidatedAt = instant();
                case "encryption" -> encryption = encryption();
                default -> skip();
            }
        }
        return new BlobEntry(path, plainSize, encryptedSize, createdAt, lastSeenAt, lastValidatedAt, encryption);
    }

    private ObjectEncryption encryption() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String method = null;
        String keyBase64 = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "method" -> method = stringOrNull();
                case "keyBase64" -> keyBase64 = stringOrNull();
                default -> skip();
            }
        }
        return new ObjectEncryption(method, keyBase64);
    }

    private SnapshotStats stats() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        int cipherCount = 0;
        int attachmentCount = 0;
        int skippedAttachmentCount = 0;
        int newBlobCount = 0;
        int reusedBlobCount = 0;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "cipherCount" -> cipherCount = intValue();
                case "attachmentCount" -> attachmentCount = intValue();
                case "skippedAttachmentCount" -> skippedAttachmentCount = intValue();
                case "newBlobCount" -> newBlobCount = intValue();
                case "reusedBlobCount" -> reusedBlobCount = intValue();
                default -> skip();
            }
        }
        return new SnapshotStats(cipherCount, attachmentCount, skippedAttachmentCount, newBlobCount, reusedBlobCount);
    }

    private SnapshotManifest manifest() throws IOException, Unexpected {
        Integer formatVersion = null;
        String snapshotId = null;
        Instant createdAt = null;
        SnapshotManifest.Options options = null;
        SnapshotManifest.VaultRef vault = null;
        List<ManifestAttachment> attachments = null;
        SnapshotStats stats = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "formatVersion" -> formatVersion = integerOrNull();
                case "snapshotId" -> snapshotId = stringOrNull();
                case "createdAt" -> createdAt = instant();
                case "options" -> options = options();
                case "vault" -> vault = vaultRef();
                case "attachments" -> attachments = manifestAttachments();
                case "stats" -> stats = stats();
                default -> skip();
            }
        }
        return new SnapshotManifest(formatVersion, snapshotId, createdAt, options, vault, attachments, stats);
    }

    private SnapshotManifest.Options options() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        Boolean includeAttachments = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            if (name.equals("includeAttachments")) {
                includeAttachments = booleanOrNull();
            } else {
                skip();
            }
        }
        return new SnapshotManifest.Options(includeAttachments);
    }

    private SnapshotManifest.VaultRef vaultRef() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String entry = null;
        long size = 0;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "entry" -> entry = stringOrNull();
                case "size" -> size = longValue();
                default -> skip();
            }
        }
        return new SnapshotManifest.VaultRef(entry, size);
    }

    private ManifestAttachment manifestAttachment() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String accountId = null;
        String localCipherId = null;
        String remoteCipherId = null;
        String attachmentId = null;
        String fileName = null;
        Long plainSize = null;
        String fingerprint = null;
        String blobId = null;
        String blobPath = null;
        String exportPath = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "accountId" -> accountId = stringOrNull();
                case "localCipherId" -> localCipherId = stringOrNull();
                case "remoteCipherId" -> remoteCipherId = stringOrNull();
                case "attachmentId" -> attachmentId = stringOrNull();
                case "fileName" -> fileName = stringOrNull();
                case "plainSize" -> plainSize = longOrNull();
                case "fingerprint" -> fingerprint = stringOrNull();
                case "blobId" -> blobId = stringOrNull();
                case "blobPath" -> blobPath = stringOrNull();
                case "exportPath" -> exportPath = stringOrNull();
                default -> skip();
            }
        }
        return new ManifestAttachment(accountId, localCipherId, remoteCipherId, attachmentId, fileName, plainSize,
                fingerprint, blobId, blobPath, exportPath);
    }

    private RepoDocument repo() throws IOException, Unexpected {
        Integer formatVersion = null;
        String repoId = null;
        Instant createdAt = null;
        String app = null;
        List<String> features = null;
        RepoCrypto crypto = null;
        RepoLayout layout = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "formatVersion" -> formatVersion = integerOrNull();
                case "repoId" -> repoId = stringOrNull();
                case "createdAt" -> createdAt = instant();
                case "app" -> app = stringOrNull();
                case "features" -> features = strings();
                case "crypto" -> crypto = crypto();
                case "layout" -> layout = layout();
                default -> skip();
            }
        }
        return new RepoDocument(formatVersion, repoId, createdAt, app, features, crypto, layout);
    }

    private RepoCrypto crypto() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String archive = null;
        String objectArchive = null;
        String attachmentFingerprint = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "archive" -> archive = stringOrNull();
                case "objectArchive" -> objectArchive = stringOrNull();
                case "attachmentFingerprint" -> attachmentFingerprint = stringOrNull();
                default -> skip();
            }
        }
        return new RepoCrypto(archive, objectArchive, attachmentFingerprint);
    }

    private RepoLayout layout() throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        String repo = null;
        String indexes = null;
        String snapshots = null;
        String blobs = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "repo" -> repo = stringOrNull();
                case "indexes" -> indexes = stringOrNull();
                case "snapshots" -> snapshots = stringOrNull();
                case "blobs" -> blobs = stringOrNull();
                default -> skip();
            }
        }
        return new RepoLayout(repo, indexes, snapshots, blobs);
    }

    private LockDocument lock() throws IOException, Unexpected {
        String owner = null;
        String host = null;
        long pid = 0;
        Instant acquiredAt = null;
        Instant expiresAt = null;
        String token = null;
        Fields fields = new Fields();
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "owner" -> owner = stringOrNull();
                case "host" -> host = stringOrNull();
                case "pid" -> pid = longValue();
                case "acquiredAt" -> acquiredAt = instant();
                case "expiresAt" -> expiresAt = instant();
                case "token" -> token = stringOrNull();
                default -> skip();
            }
        }
        return new LockDocument(owner, host, pid, acquiredAt, expiresAt, token);
    }

    // values: the current token is the value's first. No lambdas: each would cost a cold JVM a call
    // site bootstrap on first use

    /** True for an explicit null; otherwise the value must be an object, its fields read next. */
    private boolean startObjectOrNull() throws Unexpected {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return true;
        }
        if (token != JsonToken.START_OBJECT) {
            throw Unexpected.INSTANCE;
        }
        return false;
    }

    /** True for an explicit null; otherwise the value must be an array, its elements read next. */
    private boolean startArrayOrNull() throws Unexpected {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return true;
        }
        if (token != JsonToken.START_ARRAY) {
            throw Unexpected.INSTANCE;
        }
        return false;
    }

    private String stringOrNull() throws IOException, Unexpected {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return in.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Unexpected.INSTANCE;
    }

    private Instant instant() throws IOException, Unexpected {
        String text = stringOrNull();
        if (text == null) {
            return null;
        }
        if (!isoInstant(text)) {
            throw Unexpected.INSTANCE;
        }
        Instant plain = plainInstant(text);
        if (plain != null) {
            return plain;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Unexpected.INSTANCE;
        }
    }

    /**
     * The instant of an {@link #isoInstant} text with a four-digit year and a valid date and time of day, as
     * {@code Instant.parse} reads it, computed from its digits: the formatter's parse is the slowest part of a
     * cold index read, and an index holds a few instants per snapshot. Null for anything else (another year,
     * hour 24, 30 February...), which {@code Instant.parse} decides.
     */
    static Instant plainInstant(String text) {
        if (text.length() < 20 || text.charAt(4) != '-') {
            return null; // a sign, or a year of more than four digits
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (text.charAt(19) == '.') {
            int end = text.length() - 1; // before the Z
            for (int i = 20; i < 29; i++) {
                nanos = nanos * 10 + (i < end ? text.charAt(i) - '0' : 0);
            }
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /** After the year: month, day, hour, minute and second, {@code #} a digit. */
    private static final String DATE_TIME = "-##-##T##:##:##";

    /**
     * Whether {@code text} has the one form of instant read here, ISO_INSTANT as written:
     * {@code [+-]?\d{4,10}-\d\d-\d\dT\d\d:\d\d:[0-5]\d(\.\d{1,9})?Z}, in UTC, no leap second.
     * Jackson's InstantDeserializer reads other forms too (numbers, digits-only strings, offsets,
     * surrounding blanks): those are databind's to read. By hand rather than a regex: a cold JVM
     * interprets a regex match slowly, and an index holds a few instants per snapshot.
     */
    static boolean isoInstant(String text) {
        int length = text.length();
        int at = 0;
        if (length > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
            at++;
        }
        int yearStart = at;
        while (at < length && isDigit(text.charAt(at))) {
            at++;
        }
        int yearDigits = at - yearStart;
        if (yearDigits < 4 || yearDigits > 10 || length - at < DATE_TIME.length() + 1) {
            return false;
        }
        for (int i = 0; i < DATE_TIME.length(); i++, at++) {
            char expected = DATE_TIME.charAt(i);
            char c = text.charAt(at);
            if (expected == '#' ? !isDigit(c) : c != expected) {
                return false;
            }
        }
        if (text.charAt(at - 2) > '5') {
            return false;
        }
        if (text.charAt(at) == '.') {
            int fractionStart = ++at;
            while (at < length && isDigit(text.charAt(at))) {
                at++;
            }
            int fractionDigits = at - fractionStart;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return false;
            }
        }
        return at == length - 1 && text.charAt(at) == 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A JSON integer within {@code long}; databind coerces the rest (floats, strings, nulls) its own way. */
    private long longValue() throws IOException, Unexpected {
        if (in.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw Unexpected.INSTANCE;
        }
        JsonParser.NumberType type = in.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw Unexpected.INSTANCE;
        }
        return in.getLongValue();
    }

    private Long longOrNull() throws IOException, Unexpected {
        return in.currentToken() == JsonToken.VALUE_NULL ? null : longValue();
    }

    private int intValue() throws IOException, Unexpected {
        if (in.currentToken() != JsonToken.VALUE_NUMBER_INT || in.getNumberType() != JsonParser.NumberType.INT) {
            throw Unexpected.INSTANCE;
        }
        return in.getIntValue();
    }

    private Integer integerOrNull() throws IOException, Unexpected {
        return in.currentToken() == JsonToken.VALUE_NULL ? null : intValue();
    }

    private Boolean booleanOrNull() throws Unexpected {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Unexpected.INSTANCE;
    }

    /** A list of strings; a null element is databind's to refuse (the records copy lists with List.copyOf). */
    private List<String> strings() throws IOException, Unexpected {
        if (startArrayOrNull()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            if (in.currentToken() != JsonToken.VALUE_STRING) {
                throw Unexpected.INSTANCE;
            }
            values.add(in.getText());
        }
        return values;
    }

    private List<ManifestAttachment> manifestAttachments() throws IOException, Unexpected {
        if (startArrayOrNull()) {
            return null;
        }
        List<ManifestAttachment> values = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            if (in.currentToken() != JsonToken.START_OBJECT) {
                throw Unexpected.INSTANCE;
            }
            values.add(manifestAttachment());
        }
        return values;
    }

    private static final int SNAPSHOTS = 0;
    private static final int ATTACHMENTS = 1;
    private static final int BLOBS = 2;
    private static final int STRINGS = 3;

    /**
     * One of the index's maps, its values of the given kind (null ones kept, as databind's map keeps
     * them); a repeated key replaces the earlier value, as in databind's map.
     */
    @SuppressWarnings("unchecked")
    private <V> Map<String, V> map(int kind) throws IOException, Unexpected {
        if (startObjectOrNull()) {
            return null;
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (String key = in.nextFieldName(); key != null; key = in.nextFieldName()) {
            in.nextToken();
            entries.put(key, switch (kind) {
                case SNAPSHOTS -> snapshotEntry();
                case ATTACHMENTS -> attachmentEntry();
                case BLOBS -> blobEntry();
                default -> stringOrNull();
            });
        }
        if (in.currentToken() != JsonToken.END_OBJECT) {
            throw Unexpected.INSTANCE;
        }
        return (Map<String, V>) entries;
    }
}
