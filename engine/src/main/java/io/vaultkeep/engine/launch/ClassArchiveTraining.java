package io.vaultkeep.engine.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultkeep.engine.cli.VaultKeepCli;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The training runs behind the launcher's class archives (an AOT cache on JDK 24+, an AppCDS archive before), each
 * in one JVM on a scratch copy of an export, so that an archive holds what its commands load: the repository
 * commands once each, ({@code --check}) a check's work alone, or ({@code --host}) a host started as {@code run}
 * starts it, until its account's first snapshot is committed and its status endpoint has answered. A host loads
 * about three times the classes of a repository command (Pekko, the journal, H2), which is most of its start-up
 * CPU; the archives are kept apart because the commands run with different JIT and GC settings and a command should
 * map only what it uses. On JDK 24+ an AOT cache also keeps the methods' profiles from its training, so a check's
 * hot loops (the ZIP key derivation, the keystream) are compiled by C2 without being profiled first; those profiles
 * are a check's own: the same cache made a backup slower (docs/BENCHMARKS.md, seventh session).
 *
 * <p>Usage: {@code ClassArchiveTraining [--host | --check] EXPORT_JSON ATTACHMENTS_DIR}; exits non-zero if the
 * training failed.
 */
public final class ClassArchiveTraining {

    private static final String PASSWORD_VARIABLE = "VAULTKEEP_TRAINING_PW";
    /** Copies of the export's items: enough that parsing and writing run their loops, little enough to take a second. */
    private static final int COPIES = 200;

    private ClassArchiveTraining() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length == 3 ? args[0] : "";
        if (!mode.isEmpty() && !mode.equals("--host") && !mode.equals("--check")) {
            throw new IllegalArgumentException("unknown training " + mode);
        }
        int first = mode.isEmpty() ? 0 : 1;
        Path scratch = Files.createTempDirectory("vaultkeep-training");
        try {
            Path export = Path.of(args[first]);
            Path attachments = Path.of(args[first + 1]);
            boolean trained = mode.equals("--host")
                    ? HostTraining.train(export, attachments, scratch)
                    : train(export, attachments, scratch, mode.equals("--check")) == 0;
            if (!trained) {
                System.exit(1);
            }
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static int train(Path export, Path attachments, Path scratch, boolean checkOnly) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode vault = (ObjectNode) mapper.readTree(export.toFile());
        ArrayNode items = (ArrayNode) vault.get("items");
        int originals = items.size();
        for (int copy = 0; copy < COPIES; copy++) {
            for (int i = 0; i < originals; i++) {
                items.add(((ObjectNode) items.get(i).deepCopy()).put("id", UUID.randomUUID().toString()));
            }
        }
        Path json = scratch.resolve("export.json");
        Files.write(json, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(vault));
        String encrypted = scratch.resolve("encrypted").toString();
        String plain = scratch.resolve("plain").toString();
        // the last command fails on purpose: the error path is loaded too
        String[] failing = {"snapshots", "--location", scratch.resolve("missing").toString(), "--no-password"};
        String[][] repositoryCommands = {
                {"--version"},
                {"init", "--location", encrypted, "--password-env", PASSWORD_VARIABLE},
                {"backup", "--location", encrypted, "--password-env", PASSWORD_VARIABLE, "--from", json.toString(),
                        "--attachments", attachments.toString()},
                {"backup", "--location", encrypted, "--password-env", PASSWORD_VARIABLE, "--from", json.toString()},
                {"snapshots", "--location", encrypted, "--password-env", PASSWORD_VARIABLE},
                {"restore", "--location", encrypted, "--password-env", PASSWORD_VARIABLE, "--out", scratch.resolve("restored").toString()},
                {"check", "--location", encrypted, "--password-env", PASSWORD_VARIABLE, "--read-data"},
                {"prune", "--location", encrypted, "--password-env", PASSWORD_VARIABLE, "--keep", "5", "--dry-run"},
                {"backup", "--location", plain, "--no-password", "--from", json.toString()},
                {"check", "--location", plain, "--read-data"},
                failing,
        };
        // a check's training: the same repositories made, then only checked
        String[][] commands = checkOnly
                ? Arrays.stream(repositoryCommands).filter(c -> c[0].equals("init") || c[0].equals("backup") || c[0].equals("check"))
                        .toArray(String[][]::new)
                : repositoryCommands;
        Map<String, String> environment = Map.of(PASSWORD_VARIABLE, "training password");
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream(), true);
        int failures = 0;
        for (String[] command : commands) {
            if (VaultKeepCli.execute(command, discard, discard, environment::get) != 0 && command != failing) {
                failures++;
            }
        }
        return failures;
    }
}
