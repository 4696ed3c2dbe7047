package io.vaultkeep.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./vaultkeep} as a user does: its own process, from the checkout, with an environment of our choosing. */
final class Launcher {

    static final Path REPO_ROOT = Path.of(System.getProperty("vaultkeep.repoRoot", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {}

    private final Path scratch;

    /** @param scratch where the process's stdout and stderr are captured */
    Launcher(Path scratch) {
        this.scratch = scratch;
    }

    Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return runWrapped(List.of(), env, args);
    }

    /** As {@link #run}, the launcher started by {@code wrapper} (e.g. {@code unshare … sh -c …}), which must exec it. */
    Result runWrapped(List<String> wrapper, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(REPO_ROOT.resolve("vaultkeep").toString());
        command.addAll(List.of(args));
        Path out = scratch.resolve("out-" + System.nanoTime());
        Path err = scratch.resolve("err-" + System.nanoTime());
        return runProcess(command, REPO_ROOT, env, out, err, Duration.ofMinutes(5));
    }

    /** Runs {@code command} in {@code dir}, its stdout and stderr captured in {@code out} and {@code err}; fails past {@code timeout}. */
    static Result runProcess(List<String> command, Path dir, Map<String, String> env, Path out, Path err, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
