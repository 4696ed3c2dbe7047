package io.vaultkeep.bench;

import io.vaultkeep.protocol.bitwarden.encrypted.AccountRestrictedExport;
import io.vaultkeep.protocol.bitwarden.encrypted.PasswordProtectedExport;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.protocol.crypto.MasterKey;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.protocol.crypto.UserKeyChain;
import java.util.Map;

/**
 * Issue 3's figures: decrypting a 5,000-item account-restricted export, encrypting and decrypting a
 * password-protected export of that vault (KDF included), and the KDFs alone.
 *
 * <p>Run with {@code scripts/bench bitwarden}. Prints figures; asserts nothing.
 */
public final class BitwardenBenchmark {

    private static final int ITEMS = 5_000;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        byte[] vault = BenchVaults.exportJson(ITEMS, 42);
        SymmetricKey userKey = SymmetricKey.generate();
        byte[] accountExport = BenchAccountExports.encrypt(vault, userKey);
        System.out.println("machine: " + BenchReport.machine());
        System.out.printf("vault: %d items, %.2f MB json; account-restricted export %.2f MB%n", ITEMS, vault.length / 1e6,
                accountExport.length / 1e6);

        UserKeyChain keys = UserKeyChain.fromUserKey(SymmetricKey.fromBytes(userKey.toBytes()), null, Map.of());
        double[] ms = time(() -> AccountRestrictedExport.decrypt(accountExport, keys));
        System.out.printf("decrypt account-restricted export (5,000 items, keys unlocked): %s%n", BenchReport.stats(ms, "ms"));

        for (KdfParameters kdf : new KdfParameters[] {KdfParameters.defaultPbkdf2(), KdfParameters.defaultArgon2id()}) {
            char[] password = "bench export password".toCharArray();
            byte[][] file = new byte[1][];
            double[] enc = time(() -> file[0] = PasswordProtectedExport.encrypt(vault, password, kdf));
            double[] dec = time(() -> PasswordProtectedExport.decrypt(file[0], password));
            System.out.printf("password-protected export, %s: encrypt %s; decrypt %s%n", describe(kdf),
                    BenchReport.stats(enc, "ms"), BenchReport.stats(dec, "ms"));
        }

        for (KdfParameters kdf : new KdfParameters[] {KdfParameters.defaultPbkdf2(), KdfParameters.defaultArgon2id(),
                KdfParameters.argon2id(10, 1024, 16)}) {
            double[] kdfMs = time(() -> MasterKey.forAccount("master password".toCharArray(), "bench@example.org", kdf).destroy());
            System.out.printf("KDF %s: %s%n", describe(kdf), BenchReport.stats(kdfMs, "ms"));
        }
        MasterKey master = MasterKey.forAccount("master password".toCharArray(), "bench@example.org", KdfParameters.defaultPbkdf2());
        double[] hash = time(() -> master.passwordHash("master password".toCharArray()));
        System.out.printf("master password hash (1 PBKDF2 iteration over the master key): %s%n", BenchReport.stats(hash, "ms"));
    }

    private static String describe(KdfParameters kdf) {
        return switch (kdf.type()) {
            case PBKDF2_SHA256 -> "PBKDF2-SHA256 " + kdf.iterations();
            case ARGON2ID -> "Argon2id t=" + kdf.iterations() + " m=" + kdf.memoryMiB() + " MiB p=" + kdf.parallelism();
        };
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private static double[] time(Work work) throws Exception {
        work.run(); // warm-up
        double[] ms = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }
}
