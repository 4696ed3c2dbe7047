package io.vaultkeep.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.StatusToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The VaultKeep host as its own JVM: started with `run --config`, watched over its status endpoint, killed for real. */
final class HostProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI status;
    private final Path tokenFile;
    private final Path log;

    private HostProcess(Process process, URI status, Path tokenFile, Path log) {
        this.process = process;
        this.status = status;
        this.tokenFile = tokenFile;
        this.log = log;
    }

    /**
     * Starts {@code ./vaultkeep run --config CONFIG} as an operator does, through the launcher (which execs the JVM,
     * so the process is the host's JVM itself: signals reach it), on the tests' own Java runtime. The launcher's class
     * archive for {@code run} is made by the first host of the suite and used by every later one.
     */
    static HostProcess start(Path config, int statusPort, Map<String, String> env, Path log, String maxHeap) throws IOException {
        List<String> command = List.of(Launcher.REPO_ROOT.resolve("vaultkeep").toString(), "run", "--config", config.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("VAULTKEEP_JAVA", javaBinary());
        builder.environment().put("VAULTKEEP_JAVA_OPTS", "-Xmx" + maxHeap + " -XX:+ExitOnOutOfMemoryError");
        builder.environment().putAll(env);
        Path tokenFile;
        try {
            tokenFile = HostConfigLoader.loadStatusAccess(config).dataDir().resolve(StatusToken.FILE_NAME);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new HostProcess(builder.start(), URI.create("http://127.0.0.1:" + statusPort), tokenFile, log);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits until /health answers 200: the host is up, its accounts are registered, and none is unhealthy. */
    void awaitHealthy(Duration timeout) throws Exception {
        awaitHealth(timeout, false);
    }

    /**
     * Waits until /health answers at all (200, or 503 naming unhealthy accounts): the host is up and
     * its accounts are registered, for a test that has an account fail on purpose.
     */
    void awaitServing(Duration timeout) throws Exception {
        awaitHealth(timeout, true);
    }

    private void awaitHealth(Duration timeout, boolean unhealthyToo) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the host exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(status.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || (unhealthyToo && r.statusCode() == 503 && r.body().contains("\"unhealthy\""))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the host did not become healthy within " + timeout + "; see " + log);
    }

    /** GET /accounts as JSON; empty when the host does not answer. */
    JsonNode accounts() {
        return get("/accounts");
    }

    /** GET {@code path} with the status token, as JSON; an empty array when the host does not answer. */
    JsonNode get(String path) {
        // a node of a cluster waits up to 5 s for the accounts of a lost node before it shows them not answering
        return get(path, Duration.ofSeconds(15));
    }

    /** As {@link #get(String)}, waiting up to {@code timeout} (tens of thousands of accounts take longer). */
    JsonNode get(String path, Duration timeout) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(status.resolve(path)).timeout(timeout)
                            .header("Authorization", "Bearer " + StatusToken.read(tokenFile)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createArrayNode();
        } catch (IOException | InterruptedException e) {
            return JSON.createArrayNode();
        }
    }

    /** SIGKILL: no shutdown hook, no flush, exactly what a crash or an OOM killer does. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the host survived SIGKILL");
        }
    }

    /** SIGTERM and wait: the orderly stop a service manager does. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the host did not stop on SIGTERM within 60 s; see " + log);
        }
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}) with kill(1): SIGSTOP freezes the JVM as a partition or a long pause would. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Whether the host exits by itself within {@code timeout}. */
    boolean exitsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
