package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.config.NotifyTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator's program with the notice in {@code VAULTKEEP_EVENT}, {@code VAULTKEEP_ACCOUNT},
 * {@code VAULTKEEP_SNAPSHOT}, {@code VAULTKEEP_FAILURE}, {@code VAULTKEEP_ERROR}, {@code VAULTKEEP_NOTICE_ID}
 * and as JSON on standard input. Its output is discarded (it is the program's to log); exit 0 is
 * delivered, anything else (or running past the timeout, which kills it) is retried.
 */
final class CommandNoticeSender implements NoticeSender {

    private final NotifyTarget.Command target;

    CommandNoticeSender(NotifyTarget.Command target) {
        this.target = target;
    }

    @Override
    public void send(Notice notice) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(target.run())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.put("VAULTKEEP_NOTICE_ID", notice.id());
        env.put("VAULTKEEP_EVENT", notice.event().key());
        env.put("VAULTKEEP_ACCOUNT", notice.accountId());
        env.put("VAULTKEEP_SNAPSHOT", notice.snapshotId() == null ? "" : notice.snapshotId());
        env.put("VAULTKEEP_FAILURE", notice.failure() == null ? "" : notice.failure());
        env.put("VAULTKEEP_ERROR", notice.error() == null ? "" : notice.error());
        Process process = builder.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(NoticeJson.of(notice).getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // a program that does not read its input is fine: the variables say it all
            }
            if (!process.waitFor(target.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("did not finish within " + target.timeout().toSeconds() + "s: killed");
            }
            if (process.exitValue() != 0) {
                throw new IOException("exited with " + process.exitValue());
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
