package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Bitwarden vectors in the test resources are the published ones, byte for byte (their SHA256SUMS). */
class TestVectorsTest {

    @Test
    void everyVectorFileMatchesItsPublishedChecksum() throws Exception {
        List<String> lines = TestData.text("SHA256SUMS").lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() >= 7, "every vector file is listed: " + lines);
        for (String line : lines) {
            String[] sumAndName = line.split("  ", 2);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(TestData.bytes(sumAndName[1]));
            assertEquals(sumAndName[0], HexFormat.of().formatHex(digest), sumAndName[1]);
        }
    }
}
