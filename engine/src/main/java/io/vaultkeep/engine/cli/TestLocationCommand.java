package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.store.LocationProbe;
import io.vaultkeep.storage.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "test-location", header = "Run Keyguard's location test on a location.", description = {
        "Writes a probe create-only, stats it, reads it back whole and ranged, finds it in the listing,",
        "deletes it and sees it gone. Exit code 1 when a step fails."})
final class TestLocationCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    LocationOptions location;

    @Option(names = "--json", description = "Print the steps as JSON.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (ObjectStore store = location.open()) {
            LocationProbe.Result result = LocationCheck.probe(store);
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(CommandJson.write(result));
            } else {
                for (LocationProbe.Step step : result.steps()) {
                    out.printf("%-4s %-22s %5d ms  %s%n", step.ok() ? "ok" : "FAIL", step.name(), step.millis(),
                            step.detail() == null ? "" : step.detail());
                }
                out.println(result.ok() ? "location " + store.describe() + " passed" : "location " + store.describe() + " FAILED");
            }
            return result.ok() ? 0 : VaultKeepCli.EXIT_FAILURE;
        }
    }
}
