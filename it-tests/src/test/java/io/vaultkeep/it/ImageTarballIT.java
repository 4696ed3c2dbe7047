package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image scripts/build-image makes with jib, opened as a registry or runtime would: its
 * manifest and config (entrypoint, arguments, user), its layers (digests, contents, modes), and then
 * run: its layers unpacked into a root and its entrypoint started there, without a container engine.
 */
class ImageTarballIT {

    private static final Path TARBALL = Launcher.REPO_ROOT.resolve("engine/target/vaultkeep-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "10001:10001";

    @TempDir
    static Path temp;

    private static Path layout;
    private static JsonNode manifest;
    private static JsonNode config;
    /** Every layer's entries by path, in layer order. */
    private static final List<Map<String, TarArchiveEntry>> layers = new ArrayList<>();

    @BeforeAll
    static void buildAndOpen() throws Exception {
        if (stale()) {
            Launcher.Result built = ToolProcess.run(Launcher.REPO_ROOT, Map.of(),
                    List.of(Launcher.REPO_ROOT.resolve("scripts/build-image").toString()));
            assertEquals(0, built.exit(), built.err());
            assertEquals(TARBALL.toString(), built.out().strip());
        }
        layout = Files.createDirectories(temp.resolve("layout"));
        try (InputStream in = Files.newInputStream(TARBALL)) {
            untar(new TarArchiveInputStream(in), layout);
        }
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertEquals("vaultkeep:" + System.getProperty("vaultkeep.version", "0.1.0-SNAPSHOT"),
                index.path("manifests").path(0).path("annotations").path("org.opencontainers.image.ref.name").asText());
        manifest = JSON.readTree(blob(index.path("manifests").path(0).path("digest").asText()).toFile());
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()).toFile());
        for (JsonNode layer : manifest.path("layers")) {
            Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
            try (TarArchiveInputStream tar = layer(layer)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    entries.put("/" + e.getName().replaceFirst("^/", "").replaceFirst("/$", ""), e);
                }
            }
            layers.add(entries);
        }
    }

    /**
     * Whether the tarball is missing or older than the engine jar or the script that assembles its root
     * (scripts/run-tests builds it with -Pimage before the tests, so a full run does not build it again).
     */
    private static boolean stale() throws IOException {
        if (!Files.exists(TARBALL)) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(TARBALL);
        try (var jars = Files.list(Launcher.REPO_ROOT.resolve("engine/target"))) {
            List<Path> inputs = new ArrayList<>(jars.filter(p -> p.getFileName().toString().matches("vaultkeep-engine-.*\\.jar")).toList());
            inputs.add(Launcher.REPO_ROOT.resolve("scripts/image-root"));
            inputs.add(Launcher.REPO_ROOT.resolve("engine/pom.xml"));
            for (Path input : inputs) {
                if (Files.getLastModifiedTime(input).compareTo(built) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A blob of the layout, its content checked against its digest. */
    private static Path blob(String digest) throws Exception {
        assertTrue(digest.startsWith("sha256:"), digest);
        Path file = layout.resolve("blobs/sha256/" + digest.substring(7));
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        assertEquals(digest.substring(7), HexFormat.of().formatHex(sha256.digest()), "digest of " + file);
        return file;
    }

    /** A layer's entries, its digest checked first. */
    private static TarArchiveInputStream layer(JsonNode descriptor) throws Exception {
        return new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(blob(descriptor.path("digest").asText()))));
    }

    private static void untar(TarArchiveInputStream tar, Path into) throws IOException {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            Path target = into.resolve(e.getName().replaceFirst("^/", "")).normalize();
            assertTrue(target.startsWith(into), e.getName());
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink()) {
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                continue;
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, permissions(e.getMode()));
            Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static TarArchiveEntry entry(String path) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            TarArchiveEntry e = layers.get(i).get(path);
            if (e != null) {
                return e;
            }
        }
        throw new AssertionError(path + " is in no layer");
    }

    @Test
    void theEntrypointStartsTheHostFromTheDocumentedConfigAsAnUnprivilegedUser() {
        JsonNode c = config.path("config");
        assertEquals(List.of("/opt/java/bin/java", "-Duser.home=/var/lib/vaultkeep", "-XX:-UsePerfData", "-cp", "@/app/jib-classpath-file",
                "io.vaultkeep.engine.cli.VaultKeepCli"), JSON.convertValue(c.path("Entrypoint"), List.class));
        assertEquals(List.of("run", "--config", "/etc/vaultkeep/vaultkeep.conf"), JSON.convertValue(c.path("Cmd"), List.class));
        assertEquals(USER, c.path("User").asText());
        assertEquals("/var/lib/vaultkeep", c.path("WorkingDir").asText());
        assertTrue(c.path("Volumes").has("/var/lib/vaultkeep"), c.toString());
        assertEquals("linux", config.path("os").asText());
    }

    @Test
    void theLayersHoldTheRuntimeTheApplicationAndTheUserEachApart() throws Exception {
        assertEquals(List.of("dependencies", "project dependencies", "resources", "classes", "jvm arg files", "extra files"),
                config.path("history").findValuesAsText("comment"));
        assertEquals(layers.size(), config.path("rootfs").path("diff_ids").size());
        for (JsonNode layer : manifest.path("layers")) {
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.path("mediaType").asText());
        }
        assertTrue(layers.get(0).keySet().stream().anyMatch(p -> p.matches("/app/libs/picocli-.*\\.jar")), "third-party jars first");
        assertTrue(layers.get(1).keySet().stream().anyMatch(p -> p.matches("/app/libs/vaultkeep-storage-.*\\.jar")), "then the project's");
        assertTrue(layers.get(3).containsKey("/app/classes/io/vaultkeep/engine/cli/VaultKeepCli.class"));
        assertTrue(layers.get(4).containsKey("/app/jib-classpath-file"));
        Map<String, TarArchiveEntry> extra = layers.get(5);
        assertEquals(0755, extra.get("/opt/java/bin/java").getMode() & 0777);
        assertTrue(extra.containsKey("/lib64/ld-linux-x86-64.so.2") && extra.containsKey("/opt/java/lib/security/cacerts"), "the runtime is whole");
        assertEquals(0777, entry("/var/lib/vaultkeep").getMode() & 0777, "the data folder is writable by the image's user");
        assertEquals(0777, entry("/tmp").getMode() & 0777);
        assertTrue(entry("/etc/vaultkeep").isDirectory());
        Path passwd = temp.resolve("passwd");
        try (TarArchiveInputStream tar = layer(manifest.path("layers").path(5))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().replaceFirst("^/", "").equals("etc/passwd")) {
                    Files.copy(tar, passwd);
                }
            }
        }
        assertTrue(Files.readAllLines(passwd).contains("vaultkeep:x:10001:10001:VaultKeep:/var/lib/vaultkeep:/sbin/nologin"));
    }

    private static Path root;
    private static boolean asRoot;
    private static List<String> inImage;

    /** The layers unpacked in order into a root, and the command prefix that starts a program in it as the image's user. */
    private static synchronized void unpack() throws Exception {
        if (root != null) {
            return;
        }
        ToolProcess.require("unshare", "util-linux");
        ToolProcess.require("chroot", "coreutils");
        root = Files.createDirectories(temp.resolve("rootfs"));
        for (JsonNode layer : manifest.path("layers")) {
            try (TarArchiveInputStream tar = layer(layer)) {
                untar(tar, root);
            }
        }
        Files.createDirectories(root.resolve("proc"));
        asRoot = "root".equals(System.getProperty("user.name"));
        inImage = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child"));
        if (!asRoot) {
            inImage.add("--map-root-user"); // chroot as the mapped root; the image's user cannot be mapped without privileges
        }
        inImage.addAll(List.of("sh", "-c", "mount -t proc proc \"$0/proc\" && exec chroot " + (asRoot ? "--userspec=" + USER : "")
                + " \"$0\" \"$@\"", root.toString()));
        inImage.addAll(JSON.convertValue(config.path("config").path("Entrypoint"), List.class));
    }

    private static List<String> inImage(String... args) throws Exception {
        unpack();
        List<String> command = new ArrayList<>(inImage);
        command.addAll(List.of(args));
        return command;
    }

    /** A file or folder the image's user owns, as a container engine's volume or secret would be. */
    private static Path owned(Path path) throws IOException {
        if (asRoot) {
            Files.setAttribute(path, "unix:uid", 10001);
            Files.setAttribute(path, "unix:gid", 10001);
        }
        return path;
    }

    @Test
    void theUnpackedImageRunsItsEntrypointAsItsUser() throws Exception {
        Launcher.Result r = ToolProcess.run(temp, Map.of(), inImage("--version"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("vaultkeep "), r.out());

        // the image's user creates a repository in the data folder
        Launcher.Result created = ToolProcess.run(temp, Map.of(), inImage("init", "--location", "/var/lib/vaultkeep/repo", "--no-password"));
        assertEquals(0, created.exit(), created.out() + created.err());
        Path repo = root.resolve("var/lib/vaultkeep/repo/repo.zip");
        assertTrue(Files.isRegularFile(repo), created.out());
        if (asRoot) {
            assertEquals(10001, Files.getAttribute(repo, "unix:uid"));
        }
    }

    @Test
    void theHostRunsFromTheDocumentedPathsWithSecretsFromFiles() throws Exception {
        unpack();
        // the example config, its credentials as container secrets; a free status port, as this test shares the host's network
        int port = CrashRecoveryIT.freePort();
        String conf = Files.readString(Launcher.REPO_ROOT.resolve("examples/systemd/vaultkeep.conf"))
                .replace("/run/credentials/vaultkeep.service/", "/run/secrets/")
                .replace("port = 8420", "port = " + port);
        assertTrue(conf.contains("port = " + port), conf);
        Files.writeString(root.resolve("etc/vaultkeep/vaultkeep.conf"), conf);
        Path secrets = Files.createDirectories(root.resolve("run/secrets"));
        for (String name : List.of("alice-backup-pw", "alice-export-pw")) {
            Files.writeString(secrets.resolve(name), "image " + name + "\n");
            owned(secrets.resolve(name));
            Files.setPosixFilePermissions(secrets.resolve(name), permissions(0400));
        }
        Path inbox = Files.createDirectories(root.resolve("srv/vaultkeep/inbox/alice"));
        Files.copy(Launcher.REPO_ROOT.resolve("examples/inbox/alice/bitwarden_export.json"), inbox.resolve("bitwarden_export.json"));
        owned(Files.createDirectories(root.resolve("srv/vaultkeep/backups")));

        Path log = temp.resolve("host.log");
        ProcessBuilder builder = new ProcessBuilder(inImage(JSON.convertValue(config.path("config").path("Cmd"), String[].class)))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process host = builder.start();
        Path snapshots = root.resolve("srv/vaultkeep/backups/alice/snapshots");
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (!hasFile(snapshots) && host.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertTrue(hasFile(snapshots), "no snapshot written; host log:\n" + Files.readString(log));
        } finally {
            // the host itself, not only unshare: a change of user clears the signal --kill-child relies on
            List<ProcessHandle> inside = host.descendants().toList();
            inside.forEach(ProcessHandle::destroy);
            host.destroy();
            for (ProcessHandle p : inside) {
                try {
                    p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                }
            }
            host.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertTrue(hasFile(root.resolve("var/lib/vaultkeep")), "the journal is in the data folder");
        assertTrue(!Files.readString(log).contains("image alice-"), "secrets never reach the log");
    }

    private static boolean hasFile(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (var files = Files.walk(folder)) {
            return files.anyMatch(Files::isRegularFile);
        }
    }
}
