package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (Debian's chromium, headless), as a person checks it: a host
 * (its own JVM, through the launcher) with two accounts, one of which fails (a wrong backup
 * password against an existing repository). Logged in through the address {@code vaultkeep status
 * --open} prints, the failing account's row is red with its error and the other is ok; after a
 * vault changes and the host commits, the reloaded page shows the new snapshot. The screenshot is
 * kept in {@code it-tests/target/screenshots/}.
 */
class StatusPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** {@code tr.failing}'s background in the page's style sheet: what makes a row visibly red. */
    private static final int FAILING_RGB = 0xf8c9c9;

    @TempDir
    Path work;

    @Test
    void aFailingAccountIsRedWithItsErrorAndANewSnapshotAppearsAfterAChange() throws Exception {
        ToolProcess.require("chromium", "chromium");
        int port = CrashRecoveryScenario.freePort();
        writeVault("alice", "first");
        writeVault("bob", "first");
        try (ObjectStore store = FolderStore.open(work.resolve("backups/bob"));
             BackupRepository ignored = BackupRepository.create(store, new Zip4jCodec(), "bob's real password".toCharArray(), Clock.systemUTC())) {
            // bob's repository exists with another password than the host is given
        }
        Path config = work.resolve("vaultkeep.conf");
        Files.writeString(config, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 200ms, max-delay = 2s }
                  accounts = [
                    { id = "alice", source { export-folder { path = "inbox/alice", settle-time = 200ms, rescan-interval = 1s } },
                      location { folder { path = "backups/alice" } } }
                    { id = "bob", password-env = "BOB_PW", source { export-folder { path = "inbox/bob", settle-time = 200ms } },
                      location { folder { path = "backups/bob" } } }
                  ]
                }
                """.formatted(port));
        Map<String, String> env = Map.of("BOB_PW", "not bob's password");
        Launcher launcher = new Launcher(Files.createDirectories(work.resolve("launcher")));
        try (HostProcess host = HostProcess.start(config, port, env, work.resolve("host.log"), "384m")) {
            host.awaitServing(Duration.ofSeconds(90)); // bob fails on purpose: /health may say so
            String firstSnapshot = await(host, "alice", a -> a.hasNonNull("lastSnapshotId")).get("lastSnapshotId").asText();
            String bobError = await(host, "bob", a -> a.hasNonNull("lastError")).get("lastError").asText();
            assertTrue(bobError.contains("wrong backup password"), bobError);

            String refused = chromium(work, "--dump-dom", "http://127.0.0.1:" + port + "/");
            assertTrue(refused.contains("vaultkeep status --open"), refused);
            assertFalse(refused.contains("data-account"), "no account without logging in: " + refused);

            String page = chromium(work, "--dump-dom", openUrl(launcher, config));
            String bob = row(page, "bob");
            assertTrue(bob.startsWith("<tr class=\"account failing\""), bob);
            assertTrue(bob.contains("wrong backup password"), bob);
            assertTrue(bob.contains("<td class=\"state\">failed</td>"), bob);
            String alice = row(page, "alice");
            assertTrue(alice.startsWith("<tr class=\"account ok\""), alice);
            assertTrue(alice.contains(firstSnapshot), alice);
            assertTrue(page.contains("1 account needs attention."), page);

            writeVault("alice", "second");
            String secondSnapshot = await(host, "alice", a -> a.hasNonNull("lastSnapshotId")
                    && !a.get("lastSnapshotId").asText().equals(firstSnapshot)).get("lastSnapshotId").asText();
            String reloaded = chromium(work, "--dump-dom", openUrl(launcher, config));
            assertTrue(row(reloaded, "alice").contains(secondSnapshot), row(reloaded, "alice"));

            String alicePage = chromium(work, "--dump-dom", openUrl(launcher, config, "alice"));
            assertTrue(alicePage.contains("data-snapshot=\"" + secondSnapshot + "\"") && alicePage.contains("data-snapshot=\"" + firstSnapshot + "\""),
                    alicePage);
            assertTrue(alicePage.contains("the next prune drops nothing."), alicePage);

            Path screenshot = Files.createDirectories(SCREENSHOTS).resolve("status-page.png");
            Files.deleteIfExists(screenshot);
            chromium(work, "--screenshot=" + screenshot.toAbsolutePath(), "--window-size=1400,700", openUrl(launcher, config));
            BufferedImage image = ImageIO.read(screenshot.toFile());
            int red = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    red += (image.getRGB(x, y) & 0xffffff) == FAILING_RGB ? 1 : 0;
                }
            }
            // the failing row's background: its style sheet applied (the CSP let it), so a person sees red
            assertTrue(red > 20_000, "red pixels in " + screenshot + ": " + red);
            System.out.println("screenshot: " + screenshot.toAbsolutePath() + " (" + red + " red pixels)");
        }
    }

    /** What {@code vaultkeep status --open} prints: the one-time login address. */
    private static String openUrl(Launcher launcher, Path config, String... account) throws Exception {
        List<String> args = new ArrayList<>(List.of("status", "--open", "--config", config.toString()));
        args.addAll(List.of(account));
        Launcher.Result r = launcher.run(Map.of(), args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        String url = r.out().trim();
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/login\\?code=[A-Za-z0-9_-]{43}"), url);
        return url;
    }

    /** Headless chromium on a fresh profile; its stdout (the DOM for --dump-dom). */
    private static String chromium(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(work, "chromium")));
        command.addAll(List.of(args));
        Launcher.Result r = ToolProcess.run(work, Map.of(), command);
        assertEquals(0, r.exit(), "chromium failed: " + r.err());
        return r.out();
    }

    /** The row of {@code id} in the page's accounts table. */
    private static String row(String html, String id) {
        Matcher m = Pattern.compile("<tr class=\"account [a-z]+\" data-account=\"" + Pattern.quote(id) + "\".*?</tr>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no row for " + id + " in\n" + html);
        return m.group();
    }

    private static JsonNode await(HostProcess host, String id, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode a : host.accounts()) {
                if (a.path("id").asText().equals(id) && until.test(a)) {
                    return a;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("account " + id + " did not get there within 90 s: " + host.accounts());
    }

    /** A small vault whose one note says {@code version}; it appears by rename, as a finished `bw export` does. */
    private void writeVault(String account, String version) throws Exception {
        Path inbox = Files.createDirectories(work.resolve("inbox").resolve(account));
        Path temp = work.resolve("staging-" + System.nanoTime());
        Files.writeString(temp, """
                {"encrypted": false, "folders": [], "items": [{"id": "5b3c1a2d-0000-4000-8000-000000000001", "type": 2,
                 "name": "note", "notes": "%s", "secureNote": {"type": 0}, "favorite": false, "reprompt": 0}]}
                """.formatted(version));
        Files.move(temp, inbox.resolve("bitwarden_export.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
