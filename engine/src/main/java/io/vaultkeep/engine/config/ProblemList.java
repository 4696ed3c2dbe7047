package io.vaultkeep.engine.config;

import com.typesafe.config.ConfigOrigin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found so far in one config file, each placed by the origin HOCON recorded for it. */
final class ProblemList {

    private final Path configFile;
    private final List<ConfigException.Problem> problems = new ArrayList<>();

    ProblemList(Path configFile) {
        this.configFile = configFile;
    }

    void add(ConfigOrigin origin, String path, String message) {
        // an included file names itself in the origin; otherwise the problem is in the file given
        String file = origin != null && origin.filename() != null ? origin.filename() : configFile.toString();
        int line = origin == null ? 0 : Math.max(0, origin.lineNumber());
        problems.add(new ConfigException.Problem(file, line, path, message));
    }

    void addForFile(String message) {
        problems.add(new ConfigException.Problem(configFile.toString(), 0, "", message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream()
                    .sorted(Comparator.comparing(ConfigException.Problem::file)
                            .thenComparingInt(ConfigException.Problem::line)
                            .thenComparing(ConfigException.Problem::path))
                    .toList());
        }
    }
}
