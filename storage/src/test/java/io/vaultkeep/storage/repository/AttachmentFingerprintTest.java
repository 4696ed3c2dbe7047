package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttachmentFingerprintTest {

    @Test
    void payloadFollowsKeyguardsLineFormat() {
        String payload = new String(AttachmentFingerprint.payload("acc", "c1", "c1", "att1", 12L), StandardCharsets.UTF_8);
        assertEquals("v2\naccountId:3:acc\nlocalCipherId:2:c1\nremoteCipherId:2:c1\nattachmentId:4:att1\nsize:2:12\n", payload);
    }

    @Test
    void nullFieldsAreWrittenWithLengthMinusOne() {
        String payload = new String(AttachmentFingerprint.payload("acc", "c1", null, "att1", null), StandardCharsets.UTF_8);
        assertEquals("v2\naccountId:3:acc\nlocalCipherId:2:c1\nremoteCipherId:-1:\nattachmentId:4:att1\nsize:-1:\n", payload);
    }

    @Test
    void lengthsCountUtf16CodeUnitsNotBytes() {
        // U+1F600 is two UTF-16 code units and four UTF-8 bytes; é is one unit and two bytes
        String payload = new String(AttachmentFingerprint.payload("acc", "c\uD83D\uDE00\u00e9", "r", "a", 0L), StandardCharsets.UTF_8);
        assertEquals("v2\naccountId:3:acc\nlocalCipherId:4:c\uD83D\uDE00\u00e9\nremoteCipherId:1:r\nattachmentId:1:a\nsize:1:0\n", payload);
    }

    @Test
    void fingerprintsMatchAnIndependentHmac() {
        // expected values computed outside Java (Python hmac/hashlib) from the same payloads
        assertEquals("73572dbf7546cb18eac5ac880bd28fbd01e38d24b56edaefdbeea1550584d9e3",
                AttachmentFingerprint.of("acc", "c1", "c1", "att1", 12L));
        assertEquals("0cd33b8f56f57c92a82748a0a126d2cb50d31a3326cedc4492f08f8ab685ac8a",
                AttachmentFingerprint.of("acc", "c1", null, "att1", null));
        assertEquals("474ad47c9fc836f42666d91067215d5dc0194e80ad5d13b9c8cbe5da774545b3",
                AttachmentFingerprint.of("acc", "c\uD83D\uDE00\u00e9", "r", "a", 0L));
    }

    @Test
    void anEmptyStringIsNotNull() {
        assertNotEquals(AttachmentFingerprint.of("acc", "c1", "", "a", 1L), AttachmentFingerprint.of("acc", "c1", null, "a", 1L));
    }
}
