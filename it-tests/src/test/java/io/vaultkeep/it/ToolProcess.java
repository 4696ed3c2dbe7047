package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system tool (bash, man, systemd-analyze, a script of the checkout) as its own process. A
 * tool that is not installed fails the test with the command that installs it: it never skips.
 */
final class ToolProcess {

    record Result(int exit, String out, String err) {}

    private ToolProcess() {}

    /** Fails unless {@code tool} is on the PATH, naming the Debian package that provides it. */
    static void require(String tool, String debianPackage) throws IOException, InterruptedException {
        if (run(Launcher.REPO_ROOT, Map.of(), List.of("sh", "-c", "command -v \"$0\"", tool)).exit() != 0) {
            fail(tool + " is not installed: run scripts/install-test-deps (or apt-get install -y " + debianPackage + ")");
        }
    }

    static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 10 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
