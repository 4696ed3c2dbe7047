package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a system tool (bash, man, systemd-analyze, a script of the checkout) as its own process, as
 * {@link Launcher} runs {@code ./vaultkeep}. A tool that is not installed fails the test with the
 * command that installs it: it never skips.
 */
final class ToolProcess {

    private ToolProcess() {}

    /** Fails unless {@code tool} is on the PATH, naming the Debian package that provides it. */
    static void require(String tool, String debianPackage) throws IOException, InterruptedException {
        if (run(Launcher.REPO_ROOT, Map.of(), List.of("sh", "-c", "command -v \"$0\"", tool)).exit() != 0) {
            fail(tool + " is not installed: run scripts/install-test-deps (or apt-get install -y " + debianPackage + ")");
        }
    }

    static Launcher.Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            return Launcher.runProcess(command, dir, env, out, err, Duration.ofMinutes(10));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
