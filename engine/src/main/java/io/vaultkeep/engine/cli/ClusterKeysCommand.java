package io.vaultkeep.engine.cli;

import io.vaultkeep.engine.datadir.DataDir;
import io.vaultkeep.engine.transport.ClusterCertificates;
import io.vaultkeep.engine.transport.PemFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster-keys", header = "Make a cluster authority and, for each node, a key and a certificate signed by it.", description = {
        "Writes the authority (ca.crt, ca.key) and, for each NODE, NODE.key and NODE.crt signed by it.",
        "A folder that already holds an authority gets more nodes from it. Every file is private (0600); no file is overwritten.",
        "Give each node its three files in its config: vaultkeep.cluster { key-file = NODE.key, cert-file = NODE.crt, trust-file = ca.crt }."})
final class ClusterKeysCommand implements Callable<Integer> {

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files go (created 0700 when absent).")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "NODE", description = "A node's name (letters, digits, '.', '_', '-').")
    List<String> nodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<String> unique = new LinkedHashSet<>(nodes);
        for (String node : unique) {
            if (!NODE_NAME.matcher(node).matches() || node.equals("ca")) {
                throw new IllegalArgumentException("'" + node + "' cannot name a node: use letters, digits, '.', '_' and '-' (and not 'ca')");
            }
            for (String file : List.of(node + ".key", node + ".crt")) {
                if (Files.exists(out.resolve(file))) {
                    throw new IllegalArgumentException(out.resolve(file) + " exists already: a node's key is never overwritten");
                }
            }
        }
        // created private; an existing folder keeps its mode (it may hold other things), the files are 0600
        Path dir = Files.isDirectory(out) ? out : Files.createDirectories(out, PosixFilePermissions.asFileAttribute(DataDir.FOLDER));
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.crt");
        PrintWriter print = spec.commandLine().getOut();
        ClusterCertificates.Identity authority;
        if (Files.exists(caKey)) {
            authority = new ClusterCertificates.Identity(PemFiles.readKey(caKey), PemFiles.readCertificates(caCert).get(0));
            print.println("using the authority in " + caCert);
        } else {
            authority = ClusterCertificates.authority("vaultkeep");
            PemFiles.writeCertificates(caCert, List.of(authority.certificate()));
            PemFiles.writeKey(caKey, authority.key());
            print.println("wrote " + caCert + " and " + caKey + " (keep ca.key off the nodes)");
        }
        for (String node : unique) {
            ClusterCertificates.Identity identity = ClusterCertificates.issue(authority, node);
            PemFiles.writeCertificates(dir.resolve(node + ".crt"), List.of(identity.certificate()));
            PemFiles.writeKey(dir.resolve(node + ".key"), identity.key());
            print.println("wrote " + dir.resolve(node + ".crt") + " and " + dir.resolve(node + ".key"));
        }
        print.flush();
        return 0;
    }
}
