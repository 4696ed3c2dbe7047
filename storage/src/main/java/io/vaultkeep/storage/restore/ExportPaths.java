package io.vaultkeep.storage.restore;

/**
 * File names that come from vault data (attachment ids and names) made safe to use as one path
 * segment: a name can never climb out of the restore folder or hide as a dot file.
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
}
