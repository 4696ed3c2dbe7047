package io.vaultkeep.engine.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@code { … }} block of the config being checked. Every read names the key it expects, so
 * that {@link #finish()} can report all other keys as unknown; every mistake goes to the shared
 * {@link ProblemList} with the block's path and the line HOCON recorded, and reading goes on.
 * Typed reads return empty (or the default) after reporting, so one mistake is reported once.
 */
final class ConfigSection {

    private final String path;
    private final ConfigObject object;
    private final ProblemList problems;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigSection(String path, ConfigObject object, ProblemList problems) {
        this.path = path;
        this.object = object;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    ConfigOrigin origin() {
        return object.origin();
    }

    String pathOf(String key) {
        String k = key.matches("[A-Za-z0-9_-]+") ? key : ConfigUtil.quoteString(key);
        return path.isEmpty() ? k : path + "." + k;
    }

    /** The value under {@code key}; {@code null} in the file counts as absent. */
    Optional<ConfigValue> value(String key) {
        known.add(key);
        ConfigValue v = object.get(key);
        return v == null || v.valueType() == ConfigValueType.NULL ? Optional.empty() : Optional.of(v);
    }

    boolean has(String key) {
        return value(key).isPresent();
    }

    /** Reports a problem with {@code key}: at its value's line, or at this block's when it is absent. */
    void problem(String key, String message) {
        ConfigValue v = object.get(key);
        problems.add(v == null ? object.origin() : v.origin(), pathOf(key), message);
    }

    /** Reports a problem with this block as a whole. */
    void problem(String message) {
        problems.add(object.origin(), path, message);
    }

    void missing(String key, String what) {
        problems.add(object.origin(), pathOf(key), "missing: " + what);
    }

    Optional<String> string(String key) {
        return typed(key, "a string", v -> {
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
                throw new com.typesafe.config.ConfigException.WrongType(v.origin(), key);
            }
            return single(v).getString("v"); // numbers and booleans read as their text
        });
    }

    Optional<String> requiredString(String key, String what) {
        if (!has(key)) {
            missing(key, what);
            return Optional.empty();
        }
        return string(key);
    }

    /**
     * A duration with a unit ({@code 500ms}, {@code 5s}, {@code 2m}); a bare number is refused
     * (HOCON would read it as milliseconds).
     *
     * @param atLeastKey names the key {@code atLeast} comes from, or null when it is a fixed floor
     */
    Duration duration(String key, Duration defaultValue, Duration atLeast, String atLeastKey) {
        Optional<ConfigValue> v = value(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        if (v.get().valueType() != ConfigValueType.STRING) {
            problem(key, "expected a duration with a unit such as 5s, 500ms or 2m, got " + describe(v.get()));
            return defaultValue;
        }
        Duration d;
        try {
            d = single(v.get()).getDuration("v");
        } catch (com.typesafe.config.ConfigException e) {
            problem(key, "'" + v.get().unwrapped() + "' is not a duration (use a number and a unit: ms, s, m, h, d)");
            return defaultValue;
        }
        if (d.compareTo(atLeast) < 0) {
            problem(key, "must be at least " + (atLeastKey == null ? "" : atLeastKey + " (") + human(atLeast)
                    + (atLeastKey == null ? "" : ")") + ", not " + v.get().unwrapped());
            return defaultValue;
        }
        return d;
    }

    int integer(String key, int defaultValue, int min, int max) {
        Optional<Integer> n = typed(key, "a whole number", v -> {
            if (v.valueType() != ConfigValueType.NUMBER || !(v.unwrapped() instanceof Integer)) {
                throw new com.typesafe.config.ConfigException.WrongType(v.origin(), key);
            }
            return (Integer) v.unwrapped();
        });
        if (n.isEmpty()) {
            return defaultValue;
        }
        if (n.get() < min || n.get() > max) {
            problem(key, "must be between " + min + " and " + max + ", not " + n.get());
            return defaultValue;
        }
        return n.get();
    }

    boolean bool(String key, boolean defaultValue) {
        return typed(key, "true or false", v -> {
            if (v.valueType() != ConfigValueType.BOOLEAN) {
                throw new com.typesafe.config.ConfigException.WrongType(v.origin(), key);
            }
            return (Boolean) v.unwrapped();
        }).orElse(defaultValue);
    }

    Optional<ConfigSection> section(String key) {
        Optional<ConfigValue> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().valueType() != ConfigValueType.OBJECT) {
            problem(key, "expected a block { … }, got " + describe(v.get()));
            return Optional.empty();
        }
        return Optional.of(new ConfigSection(pathOf(key), (ConfigObject) v.get(), problems));
    }

    Optional<ConfigSection> requiredSection(String key, String what) {
        if (!has(key)) {
            missing(key, what);
            return Optional.empty();
        }
        return section(key);
    }

    Optional<ConfigList> list(String key) {
        Optional<ConfigValue> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().valueType() != ConfigValueType.LIST) {
            problem(key, "expected a list [ … ], got " + describe(v.get()));
            return Optional.empty();
        }
        return Optional.of((ConfigList) v.get());
    }

    /** The keys present in the file among {@code keys} (each then counts as known). */
    Set<String> present(Set<String> keys) {
        Set<String> found = new LinkedHashSet<>();
        for (String key : keys) {
            if (has(key)) {
                found.add(key);
            }
        }
        return found;
    }

    /** Reports every key of this block that no read asked for, with the nearest known key as a hint. */
    void finish() {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                String hint = nearest(key).map(k -> " (did you mean '" + k + "'?)").orElse("");
                String expected = known.isEmpty() ? " (this block takes no keys)" : "";
                problem(key, "unknown key" + hint + expected);
            }
        }
    }

    private Optional<String> nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private <T> Optional<T> typed(String key, String expected, Function<ConfigValue, T> convert) {
        Optional<ConfigValue> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(convert.apply(v.get()));
        } catch (com.typesafe.config.ConfigException | ClassCastException e) {
            problem(key, "expected " + expected + ", got " + describe(v.get()));
            return Optional.empty();
        }
    }

    private static com.typesafe.config.Config single(ConfigValue v) {
        return ConfigFactory.empty().withValue("v", v);
    }

    static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "a block { … }";
            case LIST -> "a list [ … ]";
            case NUMBER -> "the number " + v.unwrapped();
            case BOOLEAN -> "the boolean " + v.unwrapped();
            case STRING -> "the string \"" + v.unwrapped() + "\"";
            case NULL -> "null";
        };
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
