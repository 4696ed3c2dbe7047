package io.vaultkeep.protocol.bitwarden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaultSelectionTest {

    /** An organization export's shape, with a field and an item type no Bitwarden version has (yet). */
    private static final byte[] VAULT = """
            {"encrypted": false, "futureTopLevel": {"keep": [1, 2.50]},
             "organizations": [{"id": "org1", "name": "Acme"}, {"id": "org2", "name": "Other"}],
             "collections": [{"id": "c1", "organizationId": "org1", "name": "Ops"}, {"id": "c2", "organizationId": "org1", "name": "Dev"}],
             "folders": [{"id": "f1", "name": "Work"}, {"id": "f2", "name": "Work/Servers"}, {"id": "f3", "name": "Home"},
                         {"id": "f4", "name": "Workshop"}],
             "items": [
              {"id": "a", "type": 1, "name": "GitHub", "folderId": "f1", "organizationId": null, "collectionIds": null,
               "login": {"username": "alice", "password": "s3cret", "futureLoginField": 12345678901234567890},
               "attachments": [{"id": "att1", "fileName": "codes.txt", "size": "3"}]},
              {"id": "b", "type": 99, "name": "From the future", "folderId": "f2", "hologram": {"seed": "xyz", "n": 1.10}},
              {"id": "c", "type": 2, "name": "GitHub", "folderId": "f3", "secureNote": {"type": 0}, "notes": "second account"},
              {"id": "d", "type": 1, "name": "Deploy key", "folderId": null, "organizationId": "org1", "collectionIds": ["c1"],
               "login": {"password": "ops"}},
              {"id": "e", "type": 2, "name": "Bench", "folderId": "f4", "secureNote": {"type": 0}}
             ]}
            """.getBytes(StandardCharsets.UTF_8);

    private static JsonNode tree(byte[] json) throws Exception {
        return BitwardenJson.readTree(json);
    }

    private static VaultSelection.Selected select(List<String> items, List<String> folders, List<String> organizations) throws Exception {
        return new VaultSelection(items, folders, organizations).apply(VAULT);
    }

    private static List<String> ids(JsonNode list) {
        return list.findValuesAsText("id").stream().toList();
    }

    @Test
    void anItemByIdKeepsEveryFieldItsFolderAndNothingElse() throws Exception {
        VaultSelection.Selected selected = select(List.of("b"), List.of(), List.of());
        JsonNode part = tree(selected.vaultJson());
        assertEquals(List.of("b"), selected.itemIds());
        assertEquals(tree(VAULT).get("items").get(1), part.get("items").get(0), "an unknown item type round-trips whole");
        assertEquals("1.10", part.get("items").get(0).get("hologram").get("n").decimalValue().toPlainString(), "digit for digit");
        assertEquals(List.of("f2"), ids(part.get("folders")));
        assertEquals(0, part.get("collections").size());
        assertEquals(0, part.get("organizations").size());
        assertEquals(tree(VAULT).get("futureTopLevel"), part.get("futureTopLevel"), "unknown top-level keys stay");
        assertFalse(part.get("encrypted").asBoolean());
    }

    @Test
    void aNameTakesEveryItemOfThatNameInTheVaultsOrder() throws Exception {
        VaultSelection.Selected selected = select(List.of("GitHub"), List.of(), List.of());
        assertEquals(List.of("a", "c"), selected.itemIds());
        JsonNode part = tree(selected.vaultJson());
        assertEquals(List.of("f1", "f3"), part.get("folders").findValuesAsText("id"));
        assertEquals(new java.math.BigInteger("12345678901234567890"),
                part.get("items").get(0).get("login").get("futureLoginField").bigIntegerValue());
        assertEquals(tree(VAULT).get("items").get(0), part.get("items").get(0));
    }

    @Test
    void aFolderTakesItsSubfoldersButNotAFolderWhoseNameMerelyBeginsTheSame() throws Exception {
        VaultSelection.Selected selected = select(List.of(), List.of("Work"), List.of());
        assertEquals(List.of("a", "b"), selected.itemIds());
        assertEquals(List.of("f1", "f2"), tree(selected.vaultJson()).get("folders").findValuesAsText("id"));
    }

    @Test
    void anOrganizationKeepsItsItemsWithTheCollectionsAndOrganizationTheyReference() throws Exception {
        VaultSelection.Selected selected = select(List.of(), List.of(), List.of("org1"));
        JsonNode part = tree(selected.vaultJson());
        assertEquals(List.of("d"), selected.itemIds());
        assertEquals(List.of("c1"), part.get("collections").findValuesAsText("id"));
        assertEquals(List.of("org1"), part.get("organizations").findValuesAsText("id"));
        assertEquals(0, part.get("folders").size());
    }

    @Test
    void criteriaAddUpAndAnItemMatchedTwiceIsKeptOnce() throws Exception {
        VaultSelection.Selected selected = select(List.of("d", "a"), List.of("Work"), List.of("org1"));
        assertEquals(List.of("a", "b", "d"), selected.itemIds());
    }

    @Test
    void aCriterionThatMatchesNothingIsAnErrorNamingIt() {
        assertTrue(assertThrows(NothingSelectedException.class, () -> select(List.of("a", "nope"), List.of(), List.of()))
                .getMessage().contains("'nope'"));
        assertTrue(assertThrows(NothingSelectedException.class, () -> select(List.of(), List.of("Wor"), List.of()))
                .getMessage().contains("no folder named 'Wor'"));
        assertTrue(assertThrows(NothingSelectedException.class, () -> select(List.of(), List.of(), List.of("org2")))
                .getMessage().contains("org2"));
    }

    @Test
    void oneItemIsFoundByIdOrUniqueNameAndAnAmbiguousNameListsTheIds() throws Exception {
        assertEquals("d", VaultSelection.oneItem(VAULT, "Deploy key").get("id").asText());
        assertEquals("c", VaultSelection.oneItem(VAULT, "c").get("id").asText());
        NothingSelectedException ambiguous = assertThrows(NothingSelectedException.class, () -> VaultSelection.oneItem(VAULT, "GitHub"));
        assertEquals("2 items are named 'GitHub': a, c; give one of their ids", ambiguous.getMessage());
        assertThrows(NothingSelectedException.class, () -> VaultSelection.oneItem(VAULT, "missing"));
    }

    @Test
    void anItemWithoutAnIdIsKeptByName() throws Exception {
        byte[] vault = "{\"items\": [{\"name\": \"Odd\", \"type\": 2}, {\"id\": \"x\", \"name\": \"Other\"}]}".getBytes(StandardCharsets.UTF_8);
        VaultSelection.Selected selected = new VaultSelection(List.of("Odd"), List.of(), List.of()).apply(vault);
        assertEquals(List.of(), selected.itemIds());
        assertEquals(1, selected.itemCount());
        assertEquals("Odd", tree(selected.vaultJson()).get("items").get(0).get("name").asText());
        assertEquals(1, tree(selected.vaultJson()).get("items").size());
    }

    @Test
    void aVaultWithoutItemsIsRefused() {
        assertThrows(ExportFormatException.class, () -> VaultSelection.oneItem("{\"folders\": []}".getBytes(StandardCharsets.UTF_8), "a"));
        assertTrue(VaultSelection.EVERYTHING.everything());
    }

    @Test
    void aRedactedItemShowsWhatIdentifiesItAndHidesEveryOtherString() throws Exception {
        ObjectNode item = VaultSelection.oneItem(VAULT, "a");
        ObjectNode redacted = RedactedItem.of(item);
        String text = redacted.toString();
        assertFalse(text.contains("s3cret") || text.contains("alice"), text);
        assertEquals("GitHub", redacted.get("name").asText());
        assertEquals("f1", redacted.get("folderId").asText());
        assertEquals(RedactedItem.HIDDEN, redacted.get("login").get("password").asText());
        assertEquals("codes.txt", redacted.get("attachments").get(0).get("fileName").asText());
        assertEquals(1, redacted.get("type").asInt());
        assertEquals(item.get("login").get("futureLoginField"), redacted.get("login").get("futureLoginField"), "numbers stay");
        ObjectNode future = RedactedItem.of(VaultSelection.oneItem(VAULT, "b"));
        assertEquals(RedactedItem.HIDDEN, future.get("hologram").get("seed").asText(), "an unknown field's strings are hidden");
        assertEquals("GitHub", item.get("name").asText(), "the item itself is left as it was");
        assertEquals("s3cret", item.get("login").get("password").asText());
    }
}
