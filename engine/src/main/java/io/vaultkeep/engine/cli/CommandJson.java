package io.vaultkeep.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The command line's JSON writer (--json output), made on first use. Its own class, not a method of
 * a command: picocli reflects over every command's methods, which loads each type in their
 * signatures, and a command that prints no JSON (backup) would load databind's ObjectMapper.
 */
final class CommandJson {

    private CommandJson() {}

    // picocli builds every command for any command line (also --version and help): not a static field of a command
    private static final class Holder {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    static String write(Object value) throws JsonProcessingException {
        return Holder.MAPPER.writeValueAsString(value);
    }
}
