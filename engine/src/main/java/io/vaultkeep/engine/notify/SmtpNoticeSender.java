package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyTarget;
import io.vaultkeep.storage.tls.TlsTrust;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A mail per notice over SMTP (RFC 5321), written on JDK sockets because no mail library is at
 * hand: implicit TLS or STARTTLS with the server's certificate and name verified, AUTH PLAIN when a
 * user is given (only over TLS), every reply code checked, the body dot-stuffed. The password is
 * copied out of its {@link io.vaultkeep.engine.config.Secret} only to be encoded, then wiped; no
 * reply text of the server reaches an error after AUTH was sent (it might echo what it got).
 */
final class SmtpNoticeSender implements NoticeSender {

    private final NotifyTarget.Smtp target;
    private final SSLContext tls;

    SmtpNoticeSender(NotifyTarget.Smtp target) throws IOException {
        this.target = target;
        try {
            this.tls = target.caFile().isPresent() ? TlsTrust.context(target.caFile().get()) : SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("no TLS available in this JVM", e);
        }
    }

    @Override
    public void send(Notice notice) throws IOException {
        int timeout = (int) Math.min(Integer.MAX_VALUE, target.timeout().toMillis());
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            plain.connect(new InetSocketAddress(target.host(), target.port()), timeout);
            plain.setSoTimeout(timeout);
            if (target.security() == NotifyTarget.SmtpSecurity.TLS) {
                socket = tlsOver(plain);
            }
            Session session = new Session(socket);
            session.expect("greeting", 220);
            List<String> extensions = session.command("EHLO " + heloName(), "EHLO", 250);
            if (target.security() == NotifyTarget.SmtpSecurity.STARTTLS) {
                if (extensions.stream().noneMatch(line -> line.toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
                    throw new IOException("the server does not offer STARTTLS (security = starttls): nothing was sent");
                }
                session.command("STARTTLS", "STARTTLS", 220);
                socket = tlsOver(plain);
                session = new Session(socket);
                extensions = session.command("EHLO " + heloName(), "EHLO", 250);
            }
            if (target.user().isPresent()) {
                authenticate(session, extensions);
            }
            session.command("MAIL FROM:<" + target.from() + ">", "MAIL FROM", 250);
            for (String to : target.to()) {
                session.command("RCPT TO:<" + to + ">", "RCPT TO " + to, 250, 251);
            }
            session.command("DATA", "DATA", 354);
            session.write(dotStuffed(message(notice)) + ".\r\n");
            session.expect("the mail's end", 250);
            try {
                session.command("QUIT", "QUIT", 221);
            } catch (IOException afterDelivery) {
                // the mail was accepted; a server closing early does not undo that
            }
        } finally {
            socket.close();
            plain.close();
        }
    }

    private void authenticate(Session session, List<String> extensions) throws IOException {
        boolean plainOffered = extensions.stream().map(l -> l.toUpperCase(Locale.ROOT))
                .anyMatch(l -> l.startsWith("AUTH") && Arrays.asList(l.substring(4).trim().split("[ =]+")).contains("PLAIN"));
        if (!plainOffered) {
            throw new IOException("the server does not offer AUTH PLAIN, and a user is configured");
        }
        char[] password = target.password().orElseThrow().copy();
        byte[] token = null;
        try {
            String user = target.user().get();
            token = plainToken(user, password);
            String encoded = Base64.getEncoder().encodeToString(token);
            session.writeLine("AUTH PLAIN " + encoded);
            int code = session.readCode();
            if (code != 235) {
                throw new IOException("the server refused the login of " + user + " (reply " + code + ")");
            }
        } finally {
            Arrays.fill(password, '\0');
            if (token != null) {
                Arrays.fill(token, (byte) 0);
            }
        }
    }

    /** {@code \0user\0password} in UTF-8 (RFC 4616). */
    private static byte[] plainToken(String user, char[] password) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer p = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] token = new byte[2 + u.length + p.remaining()];
        System.arraycopy(u, 0, token, 1, u.length);
        p.get(token, 2 + u.length, p.remaining());
        Arrays.fill(p.array(), (byte) 0);
        return token;
    }

    private SSLSocket tlsOver(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, target.host(), target.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static String heloName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getCanonicalHostName();
            return name.matches("[A-Za-z0-9.-]+") ? name : "localhost";
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The whole message, CRLF line ends, headers free of line breaks a failure message might carry. */
    String message(Notice notice) {
        StringBuilder body = new StringBuilder();
        body.append(notice.summary()).append("\n\n");
        body.append("event:    ").append(notice.event().key()).append('\n');
        body.append("account:  ").append(notice.accountId()).append('\n');
        if (notice.at() != null) {
            body.append("at:       ").append(notice.at()).append('\n');
        }
        if (notice.snapshotId() != null) {
            body.append("snapshot: ").append(notice.snapshotId()).append('\n');
        }
        if (notice.counts() != null) {
            Notice.Counts c = notice.counts();
            body.append("counts:   ").append(c.ciphers()).append(" items, ").append(c.attachments()).append(" attachments, ")
                    .append(c.newBlobs()).append(" new blobs, ").append(c.reusedBlobs()).append(" reused\n");
        }
        if (notice.failure() != null) {
            body.append("failure:  ").append(notice.failure()).append('\n');
            body.append("error:    ").append(notice.error()).append('\n');
        }
        body.append("notice:   ").append(notice.id()).append('\n');
        String text = body.toString();
        boolean ascii = text.chars().allMatch(c -> c < 128);
        StringBuilder mail = new StringBuilder();
        mail.append("From: <").append(target.from()).append(">\n");
        mail.append("To: ").append(String.join(", ", target.to().stream().map(t -> "<" + t + ">").toList())).append('\n');
        mail.append("Subject: ").append(header("[VaultKeep] " + notice.summary())).append('\n');
        mail.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append('\n');
        mail.append("Message-ID: <").append(notice.id().replaceAll("[^A-Za-z0-9.-]", "."))
                .append('.').append(System.nanoTime()).append("@vaultkeep>\n");
        mail.append("MIME-Version: 1.0\n");
        mail.append("Content-Type: text/plain; charset=UTF-8\n");
        if (ascii) {
            mail.append("Content-Transfer-Encoding: 7bit\n\n").append(text);
        } else {
            mail.append("Content-Transfer-Encoding: base64\n\n")
                    .append(Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(text.getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        return mail.toString();
    }

    /** One header line: breaks folded to spaces, non-ASCII as an RFC 2047 encoded word. */
    private static String header(String value) {
        String oneLine = value.replaceAll("[\\r\\n]+", " ");
        if (oneLine.chars().allMatch(c -> c >= 32 && c < 127)) {
            return oneLine;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(oneLine.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** CRLF line ends, and a dot doubled at a line's start, so no line of the mail can end it early (RFC 5321 4.5.2). */
    static String dotStuffed(String message) {
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\r\n|\r|\n", -1)) {
            out.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        // split leaves one empty piece after a final line break: drop its extra CRLF
        if (message.endsWith("\n") || message.endsWith("\r")) {
            out.setLength(out.length() - 2);
        }
        return out.toString();
    }

    /** One SMTP conversation on a socket: commands out, multi-line replies in, codes checked. */
    private static final class Session {
        private final BufferedReader in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        List<String> command(String line, String what, int... accepted) throws IOException {
            writeLine(line);
            return expect(what, accepted);
        }

        void writeLine(String line) throws IOException {
            write(line + "\r\n");
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The reply's lines (without codes) when its code is accepted. */
        List<String> expect(String what, int... accepted) throws IOException {
            List<String> lines = new ArrayList<>();
            int code = read(lines);
            if (Arrays.stream(accepted).noneMatch(a -> a == code)) {
                String text = String.join(" ", lines);
                throw new IOException("the server answered " + what + " with " + code
                        + (text.isBlank() ? "" : ": " + text.substring(0, Math.min(200, text.length()))));
            }
            return lines;
        }

        int readCode() throws IOException {
            return read(new ArrayList<>());
        }

        private int read(List<String> lines) throws IOException {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("the server closed the connection");
                }
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new IOException("not an SMTP reply: " + line.substring(0, Math.min(80, line.length())));
                }
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    return Integer.parseInt(line.substring(0, 3));
                }
            }
        }
    }
}
