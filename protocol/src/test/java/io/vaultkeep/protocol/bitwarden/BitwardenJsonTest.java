package io.vaultkeep.protocol.bitwarden;

import static io.vaultkeep.protocol.bitwarden.TestVaults.SECRET;
import static io.vaultkeep.protocol.bitwarden.TestVaults.fixture;
import static io.vaultkeep.protocol.bitwarden.TestVaults.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vaultkeep.protocol.bitwarden.ExportFormatException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BitwardenJsonTest {

    static List<String> fixtures() {
        return TestVaults.FIXTURES;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void readThenWriteGivesTheSameTree(String name) throws Exception {
        byte[] input = fixture(name);

        byte[] written = BitwardenJson.write(BitwardenJson.read(input));

        assertEquals(tree(input), tree(written));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void writtenExportReadsBackAsAnEqualRecord(String name) throws Exception {
        VaultExport export = BitwardenJson.read(fixture(name));

        assertEquals(export, BitwardenJson.read(BitwardenJson.write(export)));
    }

    @Test
    void typedViewOfAPersonalExport() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("personal-every-type.json"));

        assertFalse(export.encrypted());
        assertFalse(export.isOrganization());
        assertEquals(List.of("Important", "Work, shared"), export.folders().stream().map(Folder::name).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 5, 6, 7, 8, 42, 1), export.items().stream().map(i -> i.type().code()).toList());

        Item login = export.items().get(0);
        assertEquals("Bitwarden", login.name());
        assertTrue(login.isFavorite());
        assertEquals(Item.REPROMPT_PASSWORD, login.reprompt());
        assertEquals("S3CR3T-PASSWORD", login.login().password());
        assertEquals(Arrays.asList(null, 3, 5), login.login().uris().stream().map(LoginUri::match).toList());
        assertEquals("2024-01-30T14:09:33.753Z", login.login().passwordRevisionDate());
        assertEquals("0", login.login().fido2Credentials().get(0).counter());
        assertEquals(List.of(FieldType.TEXT, FieldType.HIDDEN, FieldType.BOOLEAN, FieldType.BOOLEAN, FieldType.LINKED, FieldType.of(7)),
                login.fields().stream().map(CustomField::type).toList());
        assertEquals(101, login.fields().get(4).linkedId());
        assertNull(login.fields().get(4).value());
        assertEquals(2, login.passwordHistory().size());
        assertEquals("2024-01-30T11:23:54.416Z", login.creationDate());

        assertEquals(SecureNote.GENERIC.type(), export.items().get(1).secureNote().type());
        assertTrue(export.items().get(1).isArchived());
        assertEquals("4111111111111111", export.items().get(2).card().number());
        assertEquals("S3CR3T-SSN", export.items().get(3).identity().ssn());
        assertEquals("SHA256:2aYj96jmy4kx80nChzD2V/kMu8wogJ/I5iLN63mOYcE", export.items().get(4).sshKey().fingerprint());
    }

    @Test
    void sshKeyFingerprintIsReadFromEitherKey() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("personal-every-type.json"));
        SshKey written = export.items().get(4).sshKey();
        SshKey older = export.items().get(5).sshKey();

        assertEquals("SHA256:abc", older.fingerprint());
        assertNull(older.keyFingerprint());
        assertEquals(written.keyFingerprint(), written.fingerprint());
        assertTrue(BitwardenJson.toTree(older).has("fingerprint"));
        assertFalse(BitwardenJson.toTree(older).has("keyFingerprint"));
    }

    @Test
    void typesThisCodeDoesNotModelKeepTheirPayloadUntouched() throws Exception {
        JsonNode input = tree(fixture("personal-every-type.json"));
        VaultExport export = BitwardenJson.read(fixture("personal-every-type.json"));

        Item bank = export.items().get(6);
        assertEquals(ItemType.BANK_ACCOUNT, bank.type());
        assertEquals("bank account", bank.type().label());
        assertEquals(input.get("items").get(6).get("bankAccount"), bank.unmodelledPayload());
        assertEquals(input.get("items").get(7).get("driversLicense"), export.items().get(7).unmodelledPayload());
        assertEquals(input.get("items").get(8).get("passport"), export.items().get(8).unmodelledPayload());

        Item future = export.items().get(9);
        assertEquals(ItemType.of(42), future.type());
        assertNull(future.type().payloadKey());
        assertEquals(input.get("items").get(9).get("vehicle"), future.other().get("vehicle"));
        assertEquals(List.of(), future.fields());
    }

    @Test
    void unknownKeysAreKeptAtEveryLevel() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("personal-every-type.json"));
        Item login = export.items().get(0);

        assertTrue(export.other().containsKey("exportedBy"));
        assertEquals("#aa3300", export.folders().get(0).other().get("color").textValue());
        assertTrue(login.fields().get(5).other().containsKey("futureHint"));
        assertEquals(2, login.login().uris().get(2).other().get("priority").intValue());
        assertTrue(login.login().uris().get(1).other().get("uriChecksum").isNull());
        assertEquals("S3CR3T-PRF", login.login().fido2Credentials().get(0).other().get("hmacSecret").textValue());
        assertEquals("generator", login.passwordHistory().get(1).other().get("source").textValue());
        assertEquals("markdown", export.items().get(1).secureNote().other().get("format").textValue());
        assertEquals("credit", export.items().get(2).card().other().get("cardType").textValue());
        assertEquals("he/him", export.items().get(3).identity().other().get("pronouns").textValue());
        assertEquals("laptop", export.items().get(4).sshKey().other().get("comment").textValue());
    }

    @Test
    void valuesOfAnUnexpectedShapeStayVerbatimOutsideTheComponents() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("personal-every-type.json"));
        Item odd = export.items().get(10);

        assertNull(odd.favorite());
        assertEquals(TextNode.valueOf("yes"), odd.other().get("favorite"));
        assertNull(odd.fields());
        assertTrue(odd.other().get("fields").isObject());
        assertNull(odd.login().uris());
        assertEquals("https://not-a-list.example", odd.login().other().get("uris").textValue());

        Attachment numericSize = BitwardenJson.read(fixture("keyguard-snapshot.json")).items().get(0).attachments().get(1);
        assertNull(numericSize.size());
        assertEquals(1024, numericSize.other().get("size").intValue());
    }

    @Test
    void nullAndAbsentKeysAreToldApart() throws Exception {
        String json = """
                {"encrypted": false, "items": [
                  {"id": "a", "type": 1, "organizationId": null, "login": {"username": null}},
                  {"id": "b", "type": 1}
                ]}""";

        VaultExport export = BitwardenJson.read(json.getBytes(StandardCharsets.UTF_8));
        JsonNode written = tree(BitwardenJson.write(export));

        assertNull(export.items().get(0).organizationId());
        assertNull(export.items().get(1).organizationId());
        assertEquals(NullNode.instance, written.get("items").get(0).get("organizationId"));
        assertEquals(NullNode.instance, written.get("items").get(0).get("login").get("username"));
        assertFalse(written.get("items").get(1).has("organizationId"));
        assertFalse(written.get("items").get(1).has("login"));
    }

    @Test
    void datesAndNumbersAreWrittenAsTheyWereRead() throws Exception {
        String written = BitwardenJson.writeString(BitwardenJson.read(fixture("personal-every-type.json")));

        assertTrue(written.contains("\"2026-05-28T12:42:11.1234567+02:00\""));
        assertTrue(written.contains("\"2026-05-28T10:42:11Z\""));
        assertTrue(written.contains("\"weightTons\": 1.50"));
        assertTrue(written.contains("\"serverSequence\": 12345678901234567890"));
    }

    @Test
    void writesTheLayoutOfTheBitwardenCli() {
        VaultExport export = VaultExport.personal(List.of(), List.of(Item.builder(ItemType.SECURE_NOTE)
                .id("n-1").name("Note").favorite(false).reprompt(0).secureNote(SecureNote.GENERIC).build()));

        String expected = """
                {
                  "encrypted": false,
                  "folders": [],
                  "items": [
                    {
                      "id": "n-1",
                      "type": 2,
                      "reprompt": 0,
                      "name": "Note",
                      "favorite": false,
                      "secureNote": {
                        "type": 0
                      }
                    }
                  ]
                }""";
        assertEquals(expected, BitwardenJson.writeString(export));
    }

    @Test
    void anItemBuiltFromPartsWritesOnlyWhatWasSet() {
        Item item = Item.builder(ItemType.LOGIN)
                .name("Mail")
                .login(Login.of("me@example.com", SECRET, null, List.of("https://mail.example.com")))
                .fields(List.of(CustomField.hidden("PIN", "1234"), CustomField.linked("User", 100)))
                .other("futureFlag", JsonNodeFactory.instance.booleanNode(true))
                .build();

        JsonNode tree = BitwardenJson.toTree(item);

        assertEquals(List.of("type", "name", "fields", "login", "futureFlag"), fieldNames(tree));
        assertEquals(List.of("uris", "username", "password"), fieldNames(tree.get("login")));
        assertEquals(item, BitwardenJson.fromTree(Item.class, (com.fasterxml.jackson.databind.node.ObjectNode) tree));
    }

    @Test
    void settingAComponentReplacesTheNullReadForIt() throws Exception {
        Item read = BitwardenJson.read(fixture("personal-every-type.json")).items().get(0);
        assertTrue(read.other().containsKey("organizationId"));

        Item moved = read.toBuilder().organizationId("org-1").build();

        assertEquals("org-1", moved.organizationId());
        assertFalse(moved.other().containsKey("organizationId"));
        assertEquals(moved, BitwardenJson.fromTree(Item.class, BitwardenJson.toTree(moved)));
    }

    @Test
    void otherRefusesAValueThatBelongsInAComponent() {
        Map<String, JsonNode> misplaced = Map.of("name", TextNode.valueOf("x"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Folder("f", null, misplaced));

        assertTrue(e.getMessage().contains("\"name\""));
        // a null or an odd shape under a known key is fine: that is how it is kept
        assertEquals(NullNode.instance, new Folder("f", null, Map.of("name", NullNode.instance)).other().get("name"));
    }

    @Test
    void toStringNamesKeysButNeverValues() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("personal-every-type.json"));

        String described = export.toString() + export.items() + export.items().get(0).login() + export.items().get(0).fields();

        assertFalse(described.contains(SECRET), described);
        assertTrue(export.items().get(0).toString().contains("id=25c8c414-b446-48e9-a1bd-b10700bbd740"));
        assertTrue(export.items().get(0).toString().contains("fields(6)"));
    }

    @Test
    void readsAnOrganizationExport() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("organization.json"));

        assertTrue(export.isOrganization());
        assertNull(export.folders());
        assertEquals("ldap-42", export.collections().get(1).externalId());
        assertEquals(List.of("c0a80101-0000-4000-8000-000000000001", "c0a80101-0000-4000-8000-000000000002"),
                export.items().get(0).collectionIds());
        assertEquals("0b3c9a7e-2f1d-4c55-9e0a-6d8f1b2c3a4d", export.items().get(0).organizationId());
    }

    @Test
    void readsAKeyguardSnapshotWithOrganizationsAndAttachments() throws Exception {
        VaultExport export = BitwardenJson.read(fixture("keyguard-snapshot.json"));

        assertEquals("ACME", export.organizations().get(0).name());
        assertEquals("teams", export.organizations().get(0).other().get("plan").textValue());
        Attachment scan = export.items().get(0).attachments().get(0);
        assertEquals("scan.pdf", scan.fileName());
        assertEquals(48213, scan.sizeInBytes());
        assertEquals(-1, export.items().get(0).attachments().get(1).sizeInBytes());
        assertFalse(export.isOrganization());
    }

    @Test
    void anEncryptedExportMapsLosslesslyThroughTheUncheckedTreeMapping() {
        JsonNode tree = tree(DetectionTest.ACCOUNT_RESTRICTED);

        VaultExport encrypted = BitwardenJson.fromTree(VaultExport.class, (com.fasterxml.jackson.databind.node.ObjectNode) tree);

        assertTrue(encrypted.encrypted());
        assertEquals("2.W4t6HkuZ|ygAm|JDBT", encrypted.items().get(0).name());
        assertEquals("2.zKys|+Us0|spyl", encrypted.items().get(0).other().get("key").textValue());
        assertTrue(encrypted.other().containsKey("encKeyValidation_DO_NOT_EDIT"));
        assertEquals(tree, BitwardenJson.toTree(encrypted));
    }

    @Test
    void readsAfterAByteOrderMark() throws Exception {
        byte[] json = fixture("organization.json");
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);

        assertEquals(BitwardenJson.read(json), BitwardenJson.read(withBom));
    }

    // ------------------------------------------------------------ errors: specific, placed, and silent on content

    @Test
    void textThatIsNotJsonIsReportedWithItsPlace() {
        ExportFormatException e = failure("{\"encrypted\": false,\n  \"items\": [ " + SECRET + "-TOKEN ]}");

        assertEquals(Problem.NOT_JSON, e.problem());
        assertEquals(2, e.line().orElseThrow());
        assertTrue(e.column().isPresent());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void aCutOffExportIsReportedAsTruncated() {
        String json = TestVaults.fixtureText("personal-every-type.json");
        String cut = json.substring(0, json.indexOf("S3CR3T-PASSWORD") + 10);

        ExportFormatException e = failure(cut);

        assertEquals(Problem.TRUNCATED, e.problem());
        assertTrue(e.line().orElseThrow() > 30);
        assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    }

    @Test
    void emptyInputAndTrailingContentAreNotJson() {
        assertEquals(Problem.NOT_JSON, failure("").problem());
        assertEquals(Problem.NOT_JSON, failure("   \n ").problem());
        ExportFormatException trailing = failure("{\"items\": []} {\"" + SECRET + "\": 1}");
        assertEquals(Problem.NOT_JSON, trailing.problem());
    }

    @Test
    void invalidUtf8IsNotJson() {
        byte[] bytes = "{\"items\": [{\"name\": \"xx\"}]}".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 6] = (byte) 0xC3;
        bytes[bytes.length - 5] = (byte) 0x28;

        ExportFormatException e = assertThrows(ExportFormatException.class, () -> BitwardenJson.read(bytes));

        assertEquals(Problem.NOT_JSON, e.problem());
    }

    @Test
    void aCsvHandedToTheJsonReaderIsNamedAsSuch() {
        ExportFormatException e = failure("folder,favorite,type,name,notes,fields,reprompt,archivedDate,login_uri,"
                + "login_username,login_password,login_totp\r\n,,login,x,,,0,,,," + SECRET + ",");

        assertEquals(Problem.NOT_JSON, e.problem());
        assertTrue(e.getMessage().contains("CSV"), e.getMessage());
    }

    @Test
    void jsonThatIsNotAnExportSaysWhatIsMissing() {
        ExportFormatException noItems = failure("{\"name\": \"" + SECRET + "\"}");
        ExportFormatException notAList = failure("{\"items\": {\"a\": \"" + SECRET + "\"}}");
        ExportFormatException notAnObject = failure("{\"items\": [{\"type\": 1}, \"" + SECRET + "\"]}");
        ExportFormatException array = failure("[{\"items\": []}]");

        assertEquals(Problem.NOT_AN_EXPORT, noItems.problem());
        assertTrue(noItems.getMessage().contains("\"items\""), noItems.getMessage());
        assertTrue(notAList.getMessage().contains("not a list"), notAList.getMessage());
        assertTrue(notAnObject.getMessage().contains("items[1]"), notAnObject.getMessage());
        assertTrue(array.getMessage().contains("an array"), array.getMessage());
    }

    @Test
    void encryptedExportsAreRefusedNamingTheirKind() {
        ExportFormatException password = failure(DetectionTest.PASSWORD_PROTECTED);
        ExportFormatException account = failure(DetectionTest.ACCOUNT_RESTRICTED);
        ExportFormatException v2 = failure(DetectionTest.ACCOUNT_RESTRICTED_V2);

        assertEquals(Problem.ENCRYPTED, password.problem());
        assertEquals(ExportKind.PASSWORD_PROTECTED, password.kind().orElseThrow());
        assertTrue(password.getMessage().contains("password-protected"), password.getMessage());
        assertEquals(ExportKind.ACCOUNT_RESTRICTED, account.kind().orElseThrow());
        assertTrue(account.getMessage().contains("account-restricted"), account.getMessage());
        assertEquals(ExportKind.ACCOUNT_RESTRICTED_V2, v2.kind().orElseThrow());
        assertTrue(v2.getMessage().contains("not supported"), v2.getMessage());
    }

    private static ExportFormatException failure(String json) {
        ExportFormatException e = assertThrows(ExportFormatException.class,
                () -> BitwardenJson.read(json.getBytes(StandardCharsets.UTF_8)));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertNull(e.getCause());
        return e;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
