package io.vaultkeep.engine.config;

import java.util.Arrays;
import java.util.Objects;

/**
 * A password taken from the environment, a file or the terminal, held as characters so it can be wiped. It knows where it
 * came from (the variable's name, which is not secret) and never prints its value: not in
 * {@link #toString()}, not in a log line, not in a JSON dump (it has no getters).
 */
public final class Secret {

    private final String origin;
    private final char[] value;
    private boolean wiped; // guarded by value

    private Secret(String origin, char[] value) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.value = value;
    }

    /** Takes a copy of {@code value}; the caller may wipe its own. */
    public static Secret of(String origin, char[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("a secret from " + origin + " cannot be empty");
        }
        return new Secret(origin, value.clone());
    }

    /** As {@link #of}, and wipes {@code value} after (also when it is refused): for an array read only to be held here. */
    public static Secret taking(String origin, char[] value) {
        try {
            return of(origin, value);
        } finally {
            if (value != null) {
                Arrays.fill(value, '\0');
            }
        }
    }

    /** Where the value came from, e.g. {@code environment variable ALICE_BACKUP_PW}. */
    public String origin() {
        return origin;
    }

    /**
     * A fresh copy of the value: the caller hands it over (the repository copies a password) and
     * wipes it with {@code Arrays.fill(copy, '\0')}.
     *
     * @throws IllegalStateException after {@link #wipe()}
     */
    public char[] copy() {
        synchronized (value) {
            if (wiped) {
                throw new IllegalStateException("the secret from " + origin + " was wiped");
            }
            return value.clone();
        }
    }

    /**
     * Whether both hold the same value, compared in time independent of where they differ (a
     * reload compares an account's old and new secrets). Where they came from does not matter.
     */
    public boolean sameValue(Secret other) {
        char[] mine = copy();
        char[] theirs = other.copy();
        try {
            int difference = mine.length ^ theirs.length;
            for (int i = 0; i < Math.max(mine.length, theirs.length); i++) {
                difference |= (i < mine.length ? mine[i] : 0) ^ (i < theirs.length ? theirs[i] : 0);
            }
            return difference == 0;
        } finally {
            Arrays.fill(mine, '\0');
            Arrays.fill(theirs, '\0');
        }
    }

    /** Overwrites the value; used when the account is removed or the host stops. */
    public void wipe() {
        synchronized (value) {
            Arrays.fill(value, '\0');
            wiped = true;
        }
    }

    @Override
    public String toString() {
        return "Secret(" + origin + ")";
    }
}
