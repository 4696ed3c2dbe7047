package io.vaultkeep.protocol.repository;

import java.time.Instant;

/**
 * {@code locks/writer.lock}: who holds the repository's writer lock (this project's addition;
 * Keyguard neither writes nor reads it). Plain JSON, never encrypted and never holding a secret,
 * so that any writer can name the holder it waits for.
 *
 * @param owner     what holds it, e.g. "vaultkeep backup" or "vaultkeep host account alice"
 * @param token     a random id of this holding: a holder checks it is still its own lock
 * @param expiresAt when another writer may take it over (the holder refreshes it long before)
 */
public record LockDocument(String owner, String host, long pid, Instant acquiredAt, Instant expiresAt, String token) {

    /** What an empty lock file means: a folder lock's holder released it (the file itself stays). */
    public static final LockDocument RELEASED = new LockDocument(null, null, 0, null, null, null);

    public LockDocument refreshed(Instant newExpiry) {
        return new LockDocument(owner, host, pid, acquiredAt, newExpiry, token);
    }

    /** "vaultkeep backup (pid 4242 on nas)": how waiting writers name the holder. */
    public String holder() {
        return owner + " (pid " + pid + " on " + host + ")";
    }
}
