package io.vaultkeep.testserver.bitwarden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official Bitwarden CLI ({@code @bitwarden/cli} 2026.9.0 from npm, installed by
 * {@code scripts/install-test-deps}) as a test peer: one profile per instance, in a private app-data
 * folder, pointed at a server, trusting its CA. Secrets go through the environment, never argv.
 */
public final class BitwardenCli {

    public static final String VERSION = "2026.9.0";

    /** Where {@code scripts/install-test-deps} puts the CLI, unless VAULTKEEP_BW_CLI names it. */
    public static Path binary() {
        String named = System.getenv("VAULTKEEP_BW_CLI");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path root = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return root.resolve("vaultkeep/bw-cli/node_modules/.bin/bw");
    }

    public record Result(int exit, String out, String err) {
        public Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError("bw " + what + " failed (exit " + exit + "): " + err + out);
            }
            return this;
        }
    }

    private final Path bw;
    private final Path appData;
    private final Path caFile;
    private String session;

    private BitwardenCli(Path bw, Path appData, Path caFile) {
        this.bw = bw;
        this.appData = appData;
        this.caFile = caFile;
    }

    /** A fresh CLI profile configured for {@code server}. */
    public static BitwardenCli forServer(BitwardenTestServer server, Path work) throws IOException {
        Path bw = binary();
        if (!Files.isExecutable(bw)) {
            throw new AssertionError("the official Bitwarden CLI is not installed at " + bw + "; install it with: "
                    + "scripts/install-test-deps (or: npm install --prefix " + bw.getParent().getParent().getParent()
                    + " @bitwarden/cli@" + VERSION + ")");
        }
        Path appData = Files.createTempDirectory(work, "bw-profile-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        BitwardenCli cli = new BitwardenCli(bw, appData, server.caFile());
        cli.run(Map.of(), "config", "server", server.url()).orFail("config server");
        return cli;
    }

    /** Logs in with the personal API key, then unlocks with the master password. */
    public void loginWithApiKey(TestAccount account) throws IOException {
        run(Map.of("BW_CLIENTID", account.clientId(), "BW_CLIENTSECRET", account.clientSecret()), "login", "--apikey")
                .orFail("login --apikey");
        unlock(account);
    }

    /** Logs in with email and master password; the session is kept for the next commands. */
    public void loginWithPassword(TestAccount account) throws IOException {
        session = run(Map.of("VK_BW_PASSWORD", new String(account.masterPassword())),
                "login", account.email(), "--passwordenv", "VK_BW_PASSWORD", "--raw").orFail("login").out().trim();
    }

    public void unlock(TestAccount account) throws IOException {
        session = run(Map.of("VK_BW_PASSWORD", new String(account.masterPassword())),
                "unlock", "--passwordenv", "VK_BW_PASSWORD", "--raw").orFail("unlock").out().trim();
    }

    /** Runs {@code bw ARGS} with the session (if any), extra environment, and the server's CA trusted. */
    public Result run(Map<String, String> env, String... args) throws IOException {
        return runWithInput(env, null, args);
    }

    public Result runWithInput(Map<String, String> env, String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bw.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("BITWARDENCLI_APPDATA_DIR", appData.toString());
        environment.put("NODE_EXTRA_CA_CERTS", caFile.toString());
        environment.put("BW_NOINTERACTION", "true");
        environment.put("BW_NO_UPDATE_CHECK", "true");
        if (session != null) {
            environment.put("BW_SESSION", session);
        }
        environment.putAll(new HashMap<>(env));
        Path out = Files.createTempFile(appData, "out-", ".txt");
        Path err = Files.createTempFile(appData, "err-", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = builder.start();
        try {
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("bw " + String.join(" ", args) + " did not finish in 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** Starts {@code bw ARGS} without waiting (for concurrent edits); output is discarded. */
    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bw.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("BITWARDENCLI_APPDATA_DIR", appData.toString());
        builder.environment().put("NODE_EXTRA_CA_CERTS", caFile.toString());
        builder.environment().put("BW_NOINTERACTION", "true");
        if (session != null) {
            builder.environment().put("BW_SESSION", session);
        }
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        return builder.start();
    }

    /** {@code bw encode} of a JSON document, as {@code bw create}/{@code bw edit} want it. */
    public static String encode(String json) {
        return java.util.Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public Path appData() {
        return appData;
    }
}
