package io.vaultkeep.protocol.bitwarden.encrypted;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.protocol.bitwarden.encrypted.ExportDecryptionException.Reason;
import java.io.IOException;

/** Parsing and writing of export files as JSON trees, with errors that never quote vault content. */
final class EncryptedExportJson {

    // big decimals: numbers are written back digit for digit
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private EncryptedExportJson() {}

    static ObjectNode parseObject(byte[] json, String what) throws ExportDecryptionException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ExportDecryptionException(Reason.MALFORMED, what + " is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ExportDecryptionException(Reason.MALFORMED, what + " cannot be parsed");
        }
        if (node == null || !node.isObject()) {
            throw new ExportDecryptionException(Reason.MALFORMED, what + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    static String requireText(ObjectNode node, String field, String what) throws ExportDecryptionException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new ExportDecryptionException(Reason.MALFORMED, what + " has no \"" + field + "\"");
        }
        return value.asText();
    }
}
