package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code items[]}: one vault item (a cipher). {@code type} says which payload it carries; the five
 * modelled here have a component, the payload of any other type (bank account, driver's licence,
 * passport, …) is in {@link #other()} under {@link ItemType#payloadKey()}, untouched. Dates are the
 * strings Bitwarden wrote ({@code 2026-05-28T10:42:11.123Z}), never reparsed.
 *
 * <p>A null component means the key is absent or null; which of the two it was is kept in
 * {@link #other()} (as a JSON null) so that the written item is the one that was read.
 */
public record Item(
        String id,
        String organizationId,
        String folderId,
        ItemType type,
        Integer reprompt,
        String name,
        String notes,
        Boolean favorite,
        List<CustomField> fields,
        Login login,
        SecureNote secureNote,
        Card card,
        Identity identity,
        SshKey sshKey,
        List<PasswordHistoryEntry> passwordHistory,
        String revisionDate,
        String creationDate,
        String deletedDate,
        String archivedDate,
        List<String> collectionIds,
        List<Attachment> attachments,
        Map<String, JsonNode> other) implements ExportRecord {

    /** {@code reprompt} value asking for the master password before the item is shown. */
    public static final int REPROMPT_PASSWORD = 1;

    public Item {
        fields = JsonRecords.list(fields);
        passwordHistory = JsonRecords.list(passwordHistory);
        collectionIds = JsonRecords.list(collectionIds);
        attachments = JsonRecords.list(attachments);
        other = JsonRecords.other(Item.class, other);
    }

    public static Builder builder(ItemType type) {
        return new Builder().type(type);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean isFavorite() {
        return Boolean.TRUE.equals(favorite);
    }

    public boolean isDeleted() {
        return deletedDate != null;
    }

    public boolean isArchived() {
        return archivedDate != null;
    }

    /** The payload of a type this code does not model (e.g. {@code bankAccount}), or null. */
    public JsonNode unmodelledPayload() {
        String key = type == null || type.isModelled() ? null : type.payloadKey();
        return key == null ? null : other.get(key);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }

    /** Builds an item without a 22-argument constructor call; {@code other} entries keep their order. */
    public static final class Builder {
        private String id;
        private String organizationId;
        private String folderId;
        private ItemType type;
        private Integer reprompt;
        private String name;
        private String notes;
        private Boolean favorite;
        private List<CustomField> fields;
        private Login login;
        private SecureNote secureNote;
        private Card card;
        private Identity identity;
        private SshKey sshKey;
        private List<PasswordHistoryEntry> passwordHistory;
        private String revisionDate;
        private String creationDate;
        private String deletedDate;
        private String archivedDate;
        private List<String> collectionIds;
        private List<Attachment> attachments;
        private final Map<String, JsonNode> other = new LinkedHashMap<>();

        private Builder() {}

        private Builder(Item item) {
            id = item.id;
            organizationId = item.organizationId;
            folderId = item.folderId;
            type = item.type;
            reprompt = item.reprompt;
            name = item.name;
            notes = item.notes;
            favorite = item.favorite;
            fields = item.fields;
            login = item.login;
            secureNote = item.secureNote;
            card = item.card;
            identity = item.identity;
            sshKey = item.sshKey;
            passwordHistory = item.passwordHistory;
            revisionDate = item.revisionDate;
            creationDate = item.creationDate;
            deletedDate = item.deletedDate;
            archivedDate = item.archivedDate;
            collectionIds = item.collectionIds;
            attachments = item.attachments;
            other.putAll(item.other);
        }

        public Builder id(String value) { id = value; return this; }
        public Builder organizationId(String value) { organizationId = value; return this; }
        public Builder folderId(String value) { folderId = value; return this; }
        public Builder type(ItemType value) { type = value; return this; }
        public Builder reprompt(Integer value) { reprompt = value; return this; }
        public Builder name(String value) { name = value; return this; }
        public Builder notes(String value) { notes = value; return this; }
        public Builder favorite(Boolean value) { favorite = value; return this; }
        public Builder fields(List<CustomField> value) { fields = value; return this; }
        public Builder login(Login value) { login = value; return this; }
        public Builder secureNote(SecureNote value) { secureNote = value; return this; }
        public Builder card(Card value) { card = value; return this; }
        public Builder identity(Identity value) { identity = value; return this; }
        public Builder sshKey(SshKey value) { sshKey = value; return this; }
        public Builder passwordHistory(List<PasswordHistoryEntry> value) { passwordHistory = value; return this; }
        public Builder revisionDate(String value) { revisionDate = value; return this; }
        public Builder creationDate(String value) { creationDate = value; return this; }
        public Builder deletedDate(String value) { deletedDate = value; return this; }
        public Builder archivedDate(String value) { archivedDate = value; return this; }
        public Builder collectionIds(List<String> value) { collectionIds = value; return this; }
        public Builder attachments(List<Attachment> value) { attachments = value; return this; }

        /** Sets (or with a Java null value, writes as JSON null) a key no component holds. */
        public Builder other(String key, JsonNode value) {
            other.put(key, value);
            return this;
        }

        public Builder withoutOther(String key) {
            other.remove(key);
            return this;
        }

        /** A component set here replaces an {@code other} entry of the same key (a null read from the export). */
        public Item build() {
            return JsonRecords.unshadowed(make(other), this::make);
        }

        private Item make(Map<String, JsonNode> otherKeys) {
            return new Item(id, organizationId, folderId, type, reprompt, name, notes, favorite, fields, login, secureNote,
                    card, identity, sshKey, passwordHistory, revisionDate, creationDate, deletedDate, archivedDate,
                    collectionIds, attachments, otherKeys);
        }
    }
}
