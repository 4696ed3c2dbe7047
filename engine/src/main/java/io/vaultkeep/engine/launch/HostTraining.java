package io.vaultkeep.engine.launch;

import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.VaultKeepHost;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The {@code run} archive's training: a host on a scratch data-dir with one account on a copy of the example export,
 * kept up until that account has committed its first snapshot and the status endpoint has answered, then closed.
 * The same start-up as {@code vaultkeep run}, minus the command line's signal handling.
 */
final class HostTraining {

    private static final String ACCOUNT = "training";
    /** Within the launcher's 300 s for a training: a loaded machine was seen to need a minute. */
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private HostTraining() {}

    /** @return whether the host committed a snapshot and answered on its status port in time */
    static boolean train(Path export, Path attachments, Path scratch) throws IOException, ConfigException, InterruptedException {
        Path inbox = Files.createDirectories(scratch.resolve("inbox"));
        Files.copy(export, inbox.resolve(export.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        copyTree(attachments, inbox.resolve("attachments"));
        int port = freePort();
        Path config = scratch.resolve("training.conf");
        Files.writeString(config, """
                vaultkeep {
                  data-dir = "data"
                  status { host = "127.0.0.1", port = %d }
                  accounts = [
                    { id = "%s"
                      source { export-folder { path = "inbox" } }
                      location { folder { path = "backups" } }
                      include-attachments = true }
                  ]
                }
                """.formatted(port, ACCOUNT));
        try (VaultKeepHost host = VaultKeepHost.start(HostConfigLoader.load(config, Map.<String, String>of()::get))) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                if (committed(host)) {
                    return healthAnswers(port);
                }
                Thread.sleep(200);
            }
            return false;
        }
    }

    private static boolean committed(VaultKeepHost host) throws InterruptedException {
        try {
            AccountEntityStatus status = host.engine().status(ACCOUNT).toCompletableFuture().get(10, TimeUnit.SECONDS);
            return status.lastSnapshotId() != null;
        } catch (ExecutionException | TimeoutException e) {
            return false; // a slow answer on a loaded machine: ask again until the patience is spent
        }
    }

    private static boolean healthAnswers(int port) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
