package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KdfParametersTest {

    @Test
    void rejectsEveryExampleBelowTheVectorMinimums() {
        JsonNode minimums = TestData.json("kdf-vectors.json").get("parameterMinimums");
        assertEquals(KdfParameters.PBKDF2_MIN_ITERATIONS, minimums.get("pbkdf2MinIterations").asInt());
        assertEquals(KdfParameters.ARGON2_MIN_ITERATIONS, minimums.get("argon2idMinIterations").asInt());
        assertEquals(KdfParameters.ARGON2_MIN_MEMORY_MIB, minimums.get("argon2idMinMemoryMiB").asInt());
        assertEquals(KdfParameters.ARGON2_MIN_PARALLELISM, minimums.get("argon2idMinParallelism").asInt());
        for (JsonNode example : minimums.get("rejectedExamples")) {
            InvalidKdfParametersException e = assertThrows(InvalidKdfParametersException.class, () -> {
                if (example.get("kdf").asText().equals("PBKDF2")) {
                    KdfParameters.pbkdf2(example.get("iterations").asInt());
                } else {
                    KdfParameters.argon2id(example.get("iterations").asInt(), example.get("memoryMiB").asInt(),
                            example.get("parallelism").asInt());
                }
            }, example.toString());
            assertTrue(e.getMessage().startsWith("Insufficient KDF parameters"), e.getMessage());
        }
    }

    @Test
    void acceptsExactlyTheMinimumsAndTheMaximums() {
        KdfParameters.pbkdf2(5_000);
        KdfParameters.pbkdf2(10_000_000);
        KdfParameters.argon2id(2, 16, 1);
        KdfParameters.argon2id(10, 1_024, 16);
        KdfParameters.argon2id(6_400, 16, 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0; 4999; ; ; iterations; Insufficient KDF parameters: PBKDF2 iterations = 4999, minimum is 5000",
        "0; 10000001; ; ; iterations; KDF parameters too large: PBKDF2 iterations = 10000001, maximum is 10000000",
        "1; 1; 64; 4; iterations; Insufficient KDF parameters: Argon2id iterations = 1, minimum is 2",
        "1; 10001; 16; 4; iterations; KDF parameters too large: Argon2id iterations = 10001, maximum is 10000",
        "1; 3; 15; 4; memoryMiB; Insufficient KDF parameters: Argon2id memoryMiB = 15, minimum is 16",
        "1; 3; 1025; 4; memoryMiB; KDF parameters too large: Argon2id memoryMiB = 1025, maximum is 1024",
        "1; 3; 64; 0; parallelism; Insufficient KDF parameters: Argon2id parallelism = 0, minimum is 1",
        "1; 3; 64; 17; parallelism; KDF parameters too large: Argon2id parallelism = 17, maximum is 16",
        "1; 101; 1024; 4; iterations; KDF parameters too large: Argon2id iterations × memoryMiB = 101 × 1024 = 103424, maximum is 102400",
        "1; ; 64; 4; iterations; Argon2id iterations is missing",
        "1; 3; ; 4; memoryMiB; Argon2id memoryMiB is missing",
        "1; 3; 64; ; parallelism; Argon2id parallelism is missing",
        "2; 3; 64; 4; type; unknown KDF type 2 (0 = PBKDF2-SHA256, 1 = Argon2id)",
    })
    void messagesNameTheParameterAndTheLimit(int type, Integer iterations, Integer memory, Integer parallelism,
            String parameter, String message) {
        InvalidKdfParametersException e = assertThrows(InvalidKdfParametersException.class,
                () -> KdfParameters.of(type, iterations, memory, parallelism));
        assertEquals(parameter, e.parameter());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void abusiveValuesAreRefusedBeforeAnyWork() {
        // Constructing is the only way to reach Kdf.derive; if it derived first, this would run for hours.
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            assertThrows(InvalidKdfParametersException.class, () -> KdfParameters.argon2id(10_000, 1_024, 16));
            assertThrows(InvalidKdfParametersException.class, () -> KdfParameters.argon2id(3, 1_000_000, 4));
            assertThrows(InvalidKdfParametersException.class, () -> KdfParameters.pbkdf2(Integer.MAX_VALUE));
        });
    }

    @Test
    void defaultsAreBitwardens() {
        assertEquals(new KdfParameters(KdfType.PBKDF2_SHA256, 600_000, 0, 0), KdfParameters.defaultPbkdf2());
        assertEquals(new KdfParameters(KdfType.ARGON2ID, 3, 64, 4), KdfParameters.defaultArgon2id());
    }

    @Test
    void pbkdf2IgnoresArgon2FieldsSoEqualSettingsCompareEqual() {
        assertEquals(KdfParameters.pbkdf2(600_000), KdfParameters.of(0, 600_000, 64, 4));
        assertEquals(KdfParameters.pbkdf2(600_000), new KdfParameters(KdfType.PBKDF2_SHA256, 600_000, 1, 2));
    }

    @Test
    void typeCodesAreBitwardens() {
        assertEquals(KdfType.PBKDF2_SHA256, KdfType.fromCode(0));
        assertEquals(KdfType.ARGON2ID, KdfType.fromCode(1));
        assertEquals(KdfParameters.argon2id(4, 32, 2), KdfParameters.of(1, 4, 32, 2));
    }
}
