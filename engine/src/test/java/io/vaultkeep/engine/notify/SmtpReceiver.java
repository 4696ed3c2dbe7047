package io.vaultkeep.engine.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real SMTP server: Debian's aiosmtpd, which prints every mail it takes to its standard output
 * (here a file). Plain, with STARTTLS, or with implicit TLS, on a certificate for 127.0.0.1 made by
 * openssl; its file is the CA file a client trusts.
 */
public final class SmtpReceiver implements AutoCloseable {

    public enum Mode { PLAIN, STARTTLS, TLS }

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String INSTALL = "apt-get install -y python3-aiosmtpd (or run scripts/install-test-deps)";

    private final Process process;
    private final Path output;
    private final int port;
    private final Path certificate;

    private SmtpReceiver(Process process, Path output, int port, Path certificate) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.certificate = certificate;
    }

    public static SmtpReceiver start(Path folder, Mode mode) throws IOException, InterruptedException {
        requireAiosmtpd();
        Files.createDirectories(folder);
        int port = freePort();
        Path cert = folder.resolve("smtp-cert.pem");
        Path key = folder.resolve("smtp-key.pem");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port));
        if (mode != Mode.PLAIN) {
            certificate(cert, key);
            command.addAll(mode == Mode.TLS ? List.of("--smtpscert", cert.toString(), "--smtpskey", key.toString())
                    : List.of("--tlscert", cert.toString(), "--tlskey", key.toString()));
        }
        Path output = folder.resolve("smtp-" + port + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PYTHONUNBUFFERED", "1");
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("aiosmtpd did not start: " + Files.readString(output));
            }
            Thread.sleep(50);
        }
        return new SmtpReceiver(process, output, port, cert);
    }

    private static void requireAiosmtpd() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException("/usr/bin/python3 is missing: " + INSTALL);
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import aiosmtpd").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor() != 0) {
            throw new IllegalStateException("Debian's aiosmtpd is missing: " + INSTALL);
        }
    }

    private static void certificate(Path cert, Path key) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            throw new IllegalStateException("openssl is missing: apt-get install -y openssl");
        }
        Process openssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString()).redirectErrorStream(true).start();
        String log = new String(openssl.getInputStream().readAllBytes());
        if (openssl.waitFor() != 0) {
            throw new IOException("openssl could not make a test certificate: " + log);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** The server's certificate: the CA file that trusts it. */
    public Path caFile() {
        return certificate;
    }

    /** The mails taken so far, each as aiosmtpd printed it (headers it adds, the message). */
    public List<String> mails() throws IOException {
        String all = Files.readString(output);
        List<String> mails = new ArrayList<>();
        int at = 0;
        while (true) {
            int start = all.indexOf("---------- MESSAGE FOLLOWS ----------", at);
            int end = start < 0 ? -1 : all.indexOf("------------ END MESSAGE ------------", start);
            if (end < 0) {
                return mails;
            }
            mails.add(all.substring(start, end));
            at = end + 1;
        }
    }

    public List<String> awaitMails(int n, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (mails().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return mails();
    }

    /** Everything the server printed (for a failing test's message). */
    public String transcript() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
