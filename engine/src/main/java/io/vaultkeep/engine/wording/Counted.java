package io.vaultkeep.engine.wording;

/** A count as a person reads it in a message: {@code 1 attachment}, {@code 2 attachments}, {@code 1 index}. */
public final class Counted {

    private Counted() {}

    /** {@code n} and the noun, with an {@code s} unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return of(n, noun, noun + "s");
    }

    /** For a noun whose plural is not its singular plus {@code s}. */
    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
