package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A JSON object of a Bitwarden export, as a record. Each component holds the key of the same name
 * when its value has the component's type; {@link #other()} holds every other key verbatim: keys
 * this code does not know, keys whose value is {@code null}, and known keys with a value of an
 * unexpected shape. Writing a record gives back exactly the object it was read from.
 */
public sealed interface ExportRecord
        permits VaultExport, Organization, VaultCollection, Folder, Item, CustomField, PasswordHistoryEntry,
                Login, LoginUri, Fido2Credential, SecureNote, Card, Identity, SshKey, Attachment {

    /** The object's other keys, in their original order; values are read-only. */
    Map<String, JsonNode> other();
}
