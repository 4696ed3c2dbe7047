package io.vaultkeep.protocol.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The JSON conventions of the repository documents: compact UTF-8, ISO-8601 instants (any number
 * of fractional digits on read), unknown fields ignored. Every field is written, nulls included:
 * Keyguard requires some nullable fields that have no default ({@code plainSize},
 * {@code remoteCipherId}), and an explicit null is valid wherever a field is nullable.
 *
 * <p>The databind mapper defines these conventions. The repository documents themselves are read
 * and written by {@link DocumentReader} and {@link DocumentWriter} on jackson-core alone, to the
 * same bytes and the same records: building the mapper and its record (de)serializers costs a
 * one-shot command tens of milliseconds of its start-up (issue 17). The mapper is built on first
 * need: another type, or a document the streaming reader leaves to databind (any input off the
 * canonical shape, malformed ones included, so that coercions and error messages stay databind's).
 */
public final class RepositoryJson {

    /** A plain factory: the mapper's own has the same defaults (read limits, escaping, features). */
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Holds the mapper, so that it is built when first used rather than when this class loads. */
    private static final class Databind {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
    }

    private RepositoryJson() {}

    public static byte[] write(Object document) {
        if (document != null && DocumentWriter.writes(document.getClass())) {
            try {
                return DocumentWriter.write(FACTORY, document);
            } catch (IOException e) {
                // e.g. a lone surrogate in a string: databind fails on it too, and says so its own way
            }
        }
        return writeWithDatabind(document);
    }

    /** @throws MalformedDocumentException naming the document when its JSON does not parse */
    public static <T> T read(byte[] json, Class<T> type, String what) throws MalformedDocumentException {
        if (DocumentReader.reads(type)) {
            try {
                return DocumentReader.read(FACTORY, json, type);
            } catch (DocumentReader.Unexpected e) {
                // not the canonical shape: databind reads it, coercions and errors included
            }
        }
        return readWithDatabind(json, type, what);
    }

    /** What {@link #write} wrote before the streaming writer, and still writes for other types. */
    static byte[] writeWithDatabind(Object document) {
        try {
            return Databind.MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + document.getClass().getSimpleName(), e);
        }
    }

    /** What {@link #read} read before the streaming reader, and still reads for other types and other shapes. */
    static <T> T readWithDatabind(byte[] json, Class<T> type, String what) throws MalformedDocumentException {
        try {
            T value = Databind.MAPPER.readValue(json, type);
            if (value == null) {
                throw new MalformedDocumentException(what + " is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            // the parser's own message quotes document text, which may hold object keys: say where, not what
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new MalformedDocumentException(what + " is not a valid document (" + e.getClass().getSimpleName() + where + ")");
        } catch (IOException e) {
            throw new MalformedDocumentException(what + " cannot be parsed: " + e.getClass().getSimpleName());
        }
    }
}
