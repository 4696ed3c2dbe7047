package io.vaultkeep.engine.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A host configuration that cannot be used, with every problem found in it (not just the first),
 * so an operator fixes the file in one go. The message is one line per problem:
 * {@code <file>:<line>: <path>: <what is wrong>}.
 */
public final class ConfigException extends Exception {

    /**
     * One mistake. {@code line} is 0 when the file has no line for it (the file itself is missing);
     * {@code path} is empty for problems with the whole file.
     */
    public record Problem(String file, int line, String path, String message) {

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(file);
            if (line > 0) {
                s.append(':').append(line);
            }
            s.append(": ");
            if (!path.isEmpty()) {
                s.append(path).append(": ");
            }
            return s.append(message).toString();
        }
    }

    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** In file order (file, then line, then path). */
    public List<Problem> problems() {
        return problems;
    }
}
