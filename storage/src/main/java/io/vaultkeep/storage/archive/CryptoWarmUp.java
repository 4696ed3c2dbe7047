package io.vaultkeep.storage.archive;

import java.nio.charset.StandardCharsets;

/**
 * Runs the archive's key derivation and entry crypto once on a throwaway key, on a daemon thread, so that the JIT
 * compiles them while a one-shot command is still starting up on another core. Every encrypted entry costs a
 * PBKDF2 derivation of 8,000 SHA-1 compressions: on C1's profiling code one takes about 12 ms, compiled by C2
 * 1.3 ms, and the first readers of a check met it cold (its thirty indexes were mostly derived before C2 had
 * compiled the compression). Nothing secret is involved: the password, salt and data are constants.
 */
public final class CryptoWarmUp {

    private static final String PASSWORD = "vaultkeep warm-up, not a secret";
    private static final byte[] SALT = "warm-up salt 16b".getBytes(StandardCharsets.US_ASCII);

    private CryptoWarmUp() {
    }

    /** Starts the warm-up and returns at once; the thread ends by itself and never holds the JVM open. */
    public static void start() {
        Thread thread = new Thread(CryptoWarmUp::run, "vaultkeep-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Two derivations (the compression passes its compile thresholds within the first), then one entry's crypto. */
    static void run() {
        WinZipAes.Keys keys = null;
        for (int i = 0; i < 2; i++) {
            keys = WinZipAes.deriveKeys(PASSWORD.toCharArray(), SALT);
        }
        byte[] data = new byte[256 * 1024];
        try (WinZipAes.EntryCrypto crypto = WinZipAes.EntryCrypto.open(keys)) {
            for (int i = 0; i < 4; i++) {
                crypto.keystream().apply(data, 0, data.length);
                crypto.mac().update(data);
            }
            WinZipAes.authenticationCode(crypto.mac());
        }
    }
}
