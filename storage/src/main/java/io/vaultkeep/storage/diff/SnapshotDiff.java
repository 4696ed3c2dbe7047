package io.vaultkeep.storage.diff;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.protocol.repository.ManifestAttachment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two snapshots of one vault: the items, folders and collections added,
 * removed and changed (matched by id), and the attachments (matched by item and attachment id). A
 * changed entry names the fields that differ as paths ({@code login.password}, {@code fields[1].value});
 * their values are included only when asked for, since they are the vault's secrets. Item, folder and
 * collection names are shown as labels. A sealed snapshot is compared as stored: its items are the
 * server's {@code ciphers}, their names and values still encrypted.
 */
public final class SnapshotDiff {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotDiff() {}

    /** One snapshot's side of the comparison: its vault json as stored and its manifest's attachments. */
    public record Side(byte[] vaultJson, List<ManifestAttachment> attachments) {}

    /** An entry added or removed. */
    public record Entry(String id, String name) {}

    /** One field that differs, with its values (only when values were asked for). */
    public record FieldChange(String field, JsonNode before, JsonNode after) {}

    /**
     * An entry in both snapshots that differs: the changed fields' paths in document order, and their
     * values only when asked for (else the list is empty and left out of JSON).
     */
    public record Changed(String id, String name, List<String> fields,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldChange> values) {}

    /** Added, removed and changed entries of one kind, each sorted by name, then id. */
    public record Section(List<Entry> added, List<Entry> removed, List<Changed> changed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** An attachment; {@code size} is its plaintext size when the manifest records it. */
    public record Attachment(String itemId, String attachmentId, String fileName, Long size) {}

    /** An attachment in both snapshots that differs in {@code fileName}, {@code size} or {@code content}. */
    public record ChangedAttachment(String itemId, String attachmentId, String fileName, List<String> fields) {}

    public record AttachmentSection(List<Attachment> added, List<Attachment> removed, List<ChangedAttachment> changed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** The whole difference. */
    public record VaultDiff(Section items, Section folders, Section collections, AttachmentSection attachments) {
        public boolean isEmpty() {
            return items.isEmpty() && folders.isEmpty() && collections.isEmpty() && attachments.isEmpty();
        }
    }

    /**
     * Compares {@code before} with {@code after}.
     *
     * @param withValues include the changed fields' values (secrets)
     * @throws IOException when a vault json does not parse
     */
    public static VaultDiff compare(Side before, Side after, boolean withValues) throws IOException {
        JsonNode a = JSON.readTree(before.vaultJson());
        JsonNode b = JSON.readTree(after.vaultJson());
        return new VaultDiff(
                section(items(a), items(b), withValues),
                section(a.path("folders"), b.path("folders"), withValues),
                section(a.path("collections"), b.path("collections"), withValues),
                attachments(before.attachments(), after.attachments()));
    }

    /** What to do with a key in both snapshots. */
    @FunctionalInterface
    private interface InBoth<V> {
        void accept(String key, V before, V after);
    }

    /**
     * Calls {@code added} for each key only {@code after} has, then {@code removed} or {@code both}
     * for each of {@code before}'s.
     */
    private static <V> void match(Map<String, V> before, Map<String, V> after, java.util.function.BiConsumer<String, V> added,
                                  java.util.function.BiConsumer<String, V> removed, InBoth<V> both) {
        after.forEach((key, value) -> {
            if (!before.containsKey(key)) {
                added.accept(key, value);
            }
        });
        before.forEach((key, old) -> {
            V now = after.get(key);
            if (now == null) {
                removed.accept(key, old);
            } else {
                both.accept(key, old, now);
            }
        });
    }

    /** A plain export's {@code items}, or a sealed snapshot's {@code ciphers}. */
    private static JsonNode items(JsonNode vault) {
        return vault.has("items") ? vault.path("items") : vault.path("ciphers");
    }

    private static Section section(JsonNode before, JsonNode after, boolean withValues) {
        Map<String, JsonNode> a = byId(before);
        Map<String, JsonNode> b = byId(after);
        List<Entry> added = new ArrayList<>();
        List<Entry> removed = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        match(a, b, (id, node) -> added.add(new Entry(id, name(node))),
                (id, old) -> removed.add(new Entry(id, name(old))), (id, old, now) -> {
            List<FieldChange> changes = new ArrayList<>();
            changedPaths("", old, now, changes);
            if (!changes.isEmpty()) {
                changed.add(new Changed(id, name(now), changes.stream().map(FieldChange::field).toList(),
                        withValues ? List.copyOf(changes) : List.of()));
            }
        });
        Comparator<Entry> order = Comparator.comparing(Entry::name, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Entry::id);
        added.sort(order);
        removed.sort(order);
        changed.sort(Comparator.comparing(Changed::name, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Changed::id));
        return new Section(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
    }

    private static Map<String, JsonNode> byId(JsonNode list) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode node : list) {
            // an entry without an id (a hand-made export) is matched by its position
            String id = node.hasNonNull("id") ? node.get("id").asText() : "#" + i;
            byId.putIfAbsent(id, node);
            i++;
        }
        return byId;
    }

    private static String name(JsonNode node) {
        JsonNode name = node.get("name");
        return name == null || name.isNull() ? null : name.asText();
    }

    /**
     * Appends the fields at which {@code a} and {@code b} differ (an absent side as null): objects key
     * by key, arrays of equal length element by element, anything else as a whole.
     */
    static void changedPaths(String path, JsonNode a, JsonNode b, List<FieldChange> out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                changedPaths(path.isEmpty() ? key : path + "." + key, a.path(key), b.path(key), out);
            }
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                changedPaths(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else {
            out.add(new FieldChange(path, a.isMissingNode() ? null : a, b.isMissingNode() ? null : b));
        }
    }

    private static AttachmentSection attachments(List<ManifestAttachment> before, List<ManifestAttachment> after) {
        Map<String, ManifestAttachment> a = attachmentsByKey(before);
        Map<String, ManifestAttachment> b = attachmentsByKey(after);
        List<Attachment> added = new ArrayList<>();
        List<Attachment> removed = new ArrayList<>();
        List<ChangedAttachment> changed = new ArrayList<>();
        match(a, b, (key, m) -> added.add(attachment(m)), (key, old) -> removed.add(attachment(old)), (key, old, now) -> {
            List<String> fields = new ArrayList<>();
            if (!Objects.equals(old.fileName(), now.fileName())) {
                fields.add("fileName");
            }
            if (!Objects.equals(old.plainSize(), now.plainSize())) {
                fields.add("size");
            }
            if (!Objects.equals(old.fingerprint(), now.fingerprint()) || !Objects.equals(old.blobId(), now.blobId())) {
                fields.add("content");
            }
            if (!fields.isEmpty()) {
                changed.add(new ChangedAttachment(itemId(now), now.attachmentId(), now.fileName(), List.copyOf(fields)));
            }
        });
        Comparator<Attachment> order = Comparator.comparing(Attachment::itemId).thenComparing(Attachment::attachmentId);
        added.sort(order);
        removed.sort(order);
        changed.sort(Comparator.comparing(ChangedAttachment::itemId).thenComparing(ChangedAttachment::attachmentId));
        return new AttachmentSection(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
    }

    private static Map<String, ManifestAttachment> attachmentsByKey(List<ManifestAttachment> list) {
        Map<String, ManifestAttachment> byKey = new LinkedHashMap<>();
        for (ManifestAttachment m : list) {
            byKey.putIfAbsent(itemId(m) + "/" + m.attachmentId(), m);
        }
        return byKey;
    }

    /** The item as the vault json names it: the server's id when the attachment came from one. */
    private static String itemId(ManifestAttachment m) {
        return m.remoteCipherId() != null ? m.remoteCipherId() : m.localCipherId();
    }

    private static Attachment attachment(ManifestAttachment m) {
        return new Attachment(itemId(m), m.attachmentId(), m.fileName(), m.plainSize());
    }
}
