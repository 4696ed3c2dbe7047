package io.vaultkeep.engine.host;

import io.vaultkeep.engine.datadir.DataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token of the status endpoint: 32 random bytes, new at every start, in
 * {@code <data-dir>/status.token} (0600). Whoever can read the data folder — the host's own user —
 * can drive the host; every other local user gets 401. The token is never logged.
 */
public final class StatusToken {

    public static final String FILE_NAME = "status.token";

    private final byte[] value;

    private StatusToken(byte[] value) {
        this.value = value;
    }

    /** A fresh token, written to {@code dataDir} before the endpoint accepts anything. */
    public static StatusToken create(Path dataDir) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        StatusToken token = new StatusToken(Base64.getUrlEncoder().withoutPadding().encodeToString(random)
                .getBytes(StandardCharsets.US_ASCII));
        DataDir.writePrivate(dataDir.resolve(FILE_NAME), token.value);
        return token;
    }

    /**
     * Reads a token file, as the command line does.
     *
     * @throws IOException saying whose file it is when it cannot be read
     */
    public static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read the host's status token " + file
                    + ": permission denied (only the user the host runs as may drive it)");
        } catch (NoSuchFileException e) {
            throw new IOException("no status token at " + file + ": is the host running with this data-dir?");
        }
    }

    /** Whether an {@code Authorization} header carries this token; compared in constant time. */
    boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(value, given);
    }
}
