package io.vaultkeep.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Permission checks cannot be seen as root, who reads and writes every folder; CI runs as root. So,
 * as root, a test runs the real check — {@code vaultkeep run --config FILE}, which reports config
 * problems and stops — in a JVM of its own as user {@code nobody} (setpriv, from util-linux), on a
 * copy of this classpath that user can read, in a folder tree that user can walk.
 */
public final class AsNobody implements AutoCloseable {

    public record Result(int exit, String output) {}

    private final Path root;
    private String classpath;

    private AsNobody(Path root) {
        this.root = root;
    }

    public static boolean needed() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A fresh folder tree under /tmp that every user can walk (0755). */
    public static AsNobody workspace() throws IOException {
        Path root = Files.createTempDirectory(Path.of("/tmp"), "vaultkeep-nobody-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new AsNobody(root);
    }

    public Path root() {
        return root;
    }

    /** A folder in the workspace that every user can walk. */
    public Path folder(String relative) throws IOException {
        Path dir = Files.createDirectories(root.resolve(relative));
        for (Path p = dir; !p.equals(root); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    Result runConfigCheck(Path config) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        return run(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", readableClasspath(),
                "io.vaultkeep.engine.cli.VaultKeepCli", "run", "--config", config.toString()));
    }

    /** Runs {@code program} with its arguments as user nobody, in the workspace; its output and exit code. */
    public Result runProgram(String... program) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        command.addAll(List.of(program));
        return run(command);
    }

    /** Runs a Java class of this classpath as user nobody. */
    public Result runJava(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", readableClasspath(), main.getName()));
        command.addAll(List.of(args));
        return runProgram(command.toArray(String[]::new));
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        Path output = root.resolve("output.txt");
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " as nobody did not finish");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** This JVM's classpath, copied where nobody can read it (root's Maven repository is private). */
    private String readableClasspath() throws IOException {
        if (classpath != null) {
            return classpath;
        }
        Path copies = folder("classpath");
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = copies.resolve((n++) + "-" + source.getFileName());
            copyReadable(source, target);
            entries.add(target.toString());
        }
        classpath = String.join(java.io.File.pathSeparator, entries);
        return classpath;
    }

    private static void copyReadable(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
                Files.delete(p);
            }
        }
    }
}
