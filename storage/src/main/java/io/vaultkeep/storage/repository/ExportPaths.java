package io.vaultkeep.storage.repository;

/**
 * File names that come from vault data (attachment ids and names) made safe to use as one path
 * segment, in a manifest's export paths and in a restore: a name can never climb out of the
 * restore folder or hide as a dot file.
 */
public final class ExportPaths {

    private ExportPaths() {}

    public static String safeSegment(String name) {
        if (name == null || name.isBlank()) {
            return "_";
        }
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c == '/' || c == '\\' || c == ':' || c < 0x20 || c == 0x7f ? '_' : c);
        }
        String safe = b.toString();
        if (safe.equals(".") || safe.equals("..")) {
            return safe.replace('.', '_');
        }
        return safe;
    }

    /**
     * {@code name} if it is free, else the first free {@code "stem (2).ext"}, {@code "stem (3).ext"}, …:
     * two attachments of one item may share an id and a file name, and both must be restored.
     */
    public static String firstFree(String name, java.util.function.Predicate<String> taken) {
        if (!taken.test(name)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; ; n++) {
            String candidate = stem + " (" + n + ")" + extension;
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
    }
}
