package io.vaultkeep.storage.repository;

import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/** Vaults, attachments and a settable clock for repository tests. */
public final class TestVaults {

    public static final ZipCodec CODEC = new Zip4jCodec();

    private TestVaults() {}

    /** A Bitwarden-shaped json export with {@code items} logins. */
    public static byte[] vaultJson(int items, String marker) {
        StringBuilder b = new StringBuilder("{\"encrypted\":false,\"folders\":[],\"items\":[");
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":\"item-").append(i).append("\",\"type\":1,\"name\":\"Login ").append(i)
                    .append(" ").append(marker).append("\",\"login\":{\"username\":\"user").append(i)
                    .append("\",\"password\":\"pw-").append(marker).append("\"}}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    public static AttachmentSource attachment(String item, String attachmentId, String fileName, byte[] bytes) {
        return new AttachmentSource("acc", item, item, attachmentId, fileName, (long) bytes.length,
                () -> new ByteArrayInputStream(bytes));
    }

    public static FetchedVault source(byte[] vault, int items, AttachmentSource... attachments) {
        return new FetchedVault(vault, items, true, List.of(attachments), 0);
    }

    /** A clock tests move by hand. */
    public static final class SettableClock extends Clock {
        private Instant now;

        public SettableClock(Instant start) {
            this.now = start;
        }

        public void set(Instant instant) {
            now = instant;
        }

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
