package io.vaultkeep.protocol.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 */
public final class RepositoryJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private RepositoryJson() {}

    public static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + document.getClass().getSimpleName(), e);
        }
    }

    /** @throws MalformedDocumentException naming the document when its JSON does not parse */
    public static <T> T read(byte[] json, Class<T> type, String what) throws MalformedDocumentException {
        try {
            T value = MAPPER.readValue(json, type);
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

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
