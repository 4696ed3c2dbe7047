package io.vaultkeep.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/** Realistic vaults for benchmarks: a mix of item types with the fields real vaults carry. */
public final class BenchVaults {

    private BenchVaults() {}

    /** A Bitwarden unencrypted json export of {@code items} items (≈0.8 KB each), reproducible from the seed. */
    public static byte[] exportJson(int items, long seed) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder(items * 900);
        String[] folders = new String[12];
        b.append("{\"encrypted\":false,\"folders\":[");
        for (int i = 0; i < folders.length; i++) {
            folders[i] = uuid(random);
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(folders[i]).append("\",\"name\":\"Folder ").append(i).append("\"}");
        }
        b.append("],\"items\":[");
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                b.append(',');
            }
            int type = switch (random.nextInt(10)) {
                case 0 -> 2;
                case 1 -> 3;
                case 2 -> 4;
                case 3 -> 5;
                default -> 1;
            };
            b.append("{\"passwordHistory\":[{\"lastUsedDate\":\"2026-01-0").append(1 + random.nextInt(9))
                    .append("T10:00:00.000Z\",\"password\":\"").append(word(random, 20)).append("\"}],")
                    .append("\"revisionDate\":\"2026-10-11T12:13:14.000Z\",\"creationDate\":\"2024-05-06T07:08:09.000Z\",")
                    .append("\"deletedDate\":null,\"id\":\"").append(uuid(random)).append("\",\"organizationId\":null,")
                    .append("\"folderId\":\"").append(folders[random.nextInt(folders.length)]).append("\",")
                    .append("\"type\":").append(type).append(",\"reprompt\":0,\"name\":\"").append(word(random, 14))
                    .append("\",\"notes\":\"").append(word(random, 120)).append("\",\"favorite\":").append(random.nextInt(8) == 0)
                    .append(",\"fields\":[{\"name\":\"").append(word(random, 8)).append("\",\"value\":\"").append(word(random, 24))
                    .append("\",\"type\":").append(random.nextInt(3)).append(",\"linkedId\":null}],");
            switch (type) {
                case 1 -> b.append("\"login\":{\"fido2Credentials\":[],\"uris\":[{\"match\":null,\"uri\":\"https://")
                        .append(word(random, 10)).append(".example.org/login\"},{\"match\":3,\"uri\":\"https://")
                        .append(word(random, 8)).append(".example.net/\"}],\"username\":\"").append(word(random, 12))
                        .append("@example.org\",\"password\":\"").append(word(random, 24))
                        .append("\",\"totp\":").append(random.nextInt(4) == 0 ? "\"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\"" : "null").append("},");
                case 2 -> b.append("\"secureNote\":{\"type\":0},");
                case 3 -> b.append("\"card\":{\"cardholderName\":\"").append(word(random, 16)).append("\",\"brand\":\"Visa\",\"number\":\"4")
                        .append(digits(random, 15)).append("\",\"expMonth\":\"").append(1 + random.nextInt(12)).append("\",\"expYear\":\"20")
                        .append(30 + random.nextInt(9)).append("\",\"code\":\"").append(digits(random, 3)).append("\"},");
                case 4 -> b.append("\"identity\":{\"title\":\"Mx\",\"firstName\":\"").append(word(random, 8)).append("\",\"lastName\":\"")
                        .append(word(random, 10)).append("\",\"address1\":\"").append(word(random, 20)).append("\",\"city\":\"")
                        .append(word(random, 9)).append("\",\"postalCode\":\"").append(digits(random, 5)).append("\",\"email\":\"")
                        .append(word(random, 9)).append("@example.org\",\"phone\":\"+00 ").append(digits(random, 9)).append("\"},");
                default -> b.append("\"sshKey\":{\"privateKey\":\"-----BEGIN OPENSSH PRIVATE KEY-----\\n").append(word(random, 300))
                        .append("\\n-----END OPENSSH PRIVATE KEY-----\\n\",\"publicKey\":\"ssh-ed25519 ").append(word(random, 68))
                        .append("\",\"keyFingerprint\":\"SHA256:").append(word(random, 43)).append("\"},");
            }
            b.append("\"collectionIds\":null}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";

    private static String word(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(chars).strip().isEmpty() ? "x" : new String(chars);
    }

    private static String digits(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(random.nextInt(10));
        }
        return b.toString();
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
