package io.vaultkeep.bench;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The workload of {@code scripts/bench cli-vs-restic}: versions of one {@code bw export} json, each with a few
 * items edited, pretty-printed with two-space indents as {@code bw export --format json} writes them.
 *
 * <p>Usage: {@code CliWorkload DIR ITEMS VERSIONS EDITS_PER_VERSION}; writes {@code DIR/v001.json} … and prints
 * the size of the first.
 */
public final class CliWorkload {

    private CliWorkload() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int items = Integer.parseInt(args[1]);
        int versions = Integer.parseInt(args[2]);
        int edits = Integer.parseInt(args[3]);
        Files.createDirectories(dir);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode vault = (ObjectNode) mapper.readTree(BenchVaults.exportJson(items, 17));
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        ObjectWriter writer = mapper.writer(printer);
        ArrayNode list = (ArrayNode) vault.get("items");
        Random random = new Random(42);
        for (int v = 1; v <= versions; v++) {
            if (v > 1) {
                for (int e = 0; e < edits; e++) {
                    ObjectNode item = (ObjectNode) list.get(random.nextInt(list.size()));
                    item.put("name", item.get("name").asText() + " v" + v);
                    item.put("notes", Long.toHexString(random.nextLong()) + " " + item.get("notes").asText());
                    item.put("revisionDate", String.format("2026-11-%02dT10:00:00.000Z", 1 + v % 28));
                }
            }
            Files.write(dir.resolve(String.format("v%03d.json", v)), writer.writeValueAsBytes(vault));
        }
        System.out.println(Files.size(dir.resolve("v001.json")));
    }
}
