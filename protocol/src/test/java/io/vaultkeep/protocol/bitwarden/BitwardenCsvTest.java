package io.vaultkeep.protocol.bitwarden;

import static io.vaultkeep.protocol.bitwarden.TestVaults.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.bitwarden.CsvExport.Loss;
import io.vaultkeep.protocol.bitwarden.CsvExport.Lost;
import io.vaultkeep.protocol.bitwarden.CsvExport.SkipReason;
import io.vaultkeep.protocol.bitwarden.CsvExport.Skipped;
import io.vaultkeep.protocol.bitwarden.ExportFormatException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitwardenCsvTest {

    private static final String PERSONAL_HEADER =
            "folder,favorite,type,name,notes,fields,reprompt,archivedDate,login_uri,login_username,login_password,login_totp";
    private static final String ORGANIZATION_HEADER =
            "collections,type,name,notes,fields,reprompt,archivedDate,login_uri,login_username,login_password,login_totp";

    /** What Bitwarden's exporter (papaparse 5.5.3, as bundled in @bitwarden/cli 2026.9.0) writes for {@link #personalVault()}. */
    private static final String PERSONAL_GOLDEN = PERSONAL_HEADER + "\r\n"
            + "Work,1,login,Mail,\"line1\nline2\",\"Account: ID: 42\nPIN: S3CR3T-PIN\",1,,"
            + "\"https://mail.example.com,https://m.example.com\",me@example.com,\"pa\"\"ss, word\",JBSWY3DPEHPK3PXP\r\n"
            + ",,note,\" Leading space\",S3CR3T note,,0,2026-05-28T10:42:11.123Z,,,,";

    private static final String ORGANIZATION_GOLDEN = ORGANIZATION_HEADER + "\r\n"
            + "\"Engineering,Engineering/Servers\",login,Build,,,0,,https://ci.example.com,ci,S3CR3T-CI,";

    private static VaultExport personalVault() {
        Item mail = Item.builder(ItemType.LOGIN)
                .folderId("f-1").favorite(true).reprompt(1).name("Mail").notes("line1\nline2")
                .fields(List.of(CustomField.text("Account: ID", "42"), CustomField.hidden("PIN", "S3CR3T-PIN")))
                .login(Login.of("me@example.com", "pa\"ss, word", "JBSWY3DPEHPK3PXP",
                        List.of("https://mail.example.com", "https://m.example.com")))
                .build();
        Item note = Item.builder(ItemType.SECURE_NOTE)
                .favorite(false).reprompt(0).name(" Leading space").notes("S3CR3T note")
                .archivedDate("2026-05-28T10:42:11.123Z").secureNote(SecureNote.GENERIC)
                .build();
        Item card = Item.builder(ItemType.CARD).name("Visa").card(new Card("J", "Visa", SECRET, "1", "2032", "1", null)).build();
        return VaultExport.personal(List.of(new Folder("f-1", "Work", null), new Folder("f-2", "Private", null)),
                List.of(mail, note, card));
    }

    @Test
    void writesWhatBitwardenWritesForAPersonalVault() {
        CsvExport csv = BitwardenCsv.write(personalVault());

        assertEquals(PERSONAL_GOLDEN, csv.text());
        assertEquals(BitwardenCsv.Layout.PERSONAL, csv.layout());
        assertEquals(2, csv.written());
        assertEquals(List.of(new Skipped(ItemType.CARD, SkipReason.NOT_LOGIN_OR_NOTE, 1)), csv.skipped());
        assertEquals(List.of(new Lost(Loss.FIELD_TYPES, 1)), csv.lost());
        assertFalse(csv.complete());
    }

    @Test
    void writesWhatBitwardenWritesForAnOrganization() {
        VaultExport export = VaultExport.organization(
                List.of(new VaultCollection("c-1", "org", "Engineering", null, null),
                        new VaultCollection("c-2", "org", "Engineering/Servers", null, null)),
                List.of(Item.builder(ItemType.LOGIN).name("Build").reprompt(0).favorite(false)
                        .collectionIds(List.of("c-1", "c-2"))
                        .login(Login.of("ci", "S3CR3T-CI", null, List.of("https://ci.example.com"))).build()));

        CsvExport csv = BitwardenCsv.write(export);

        assertEquals(ORGANIZATION_GOLDEN, csv.text());
        assertTrue(csv.complete(), csv.report());
        assertEquals(csv.text(), new String(csv.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void readsBitwardensPersonalCsv() throws Exception {
        VaultExport export = read(PERSONAL_GOLDEN);

        assertFalse(export.isOrganization());
        assertEquals(List.of("Work"), export.folders().stream().map(Folder::name).toList());
        Item mail = export.items().get(0);
        assertEquals(ItemType.LOGIN, mail.type());
        assertEquals(export.folders().get(0).id(), mail.folderId());
        assertTrue(mail.isFavorite());
        assertEquals(1, mail.reprompt());
        assertEquals("line1\nline2", mail.notes());
        assertEquals(List.of(CustomField.text("Account: ID", "42"), CustomField.text("PIN", "S3CR3T-PIN")), mail.fields());
        assertEquals(List.of("https://mail.example.com", "https://m.example.com"),
                mail.login().uris().stream().map(LoginUri::uri).toList());
        assertEquals("pa\"ss, word", mail.login().password());
        assertEquals("JBSWY3DPEHPK3PXP", mail.login().totp());
        assertNull(mail.archivedDate());

        Item note = export.items().get(1);
        assertEquals(ItemType.SECURE_NOTE, note.type());
        assertEquals(SecureNote.GENERIC, note.secureNote());
        assertEquals(" Leading space", note.name());
        assertEquals(Boolean.FALSE, note.favorite());
        assertEquals("2026-05-28T10:42:11.123Z", note.archivedDate());
        assertNull(note.folderId());
        assertNull(note.login());
        assertNull(note.id());
    }

    @Test
    void readsBitwardensOrganizationCsv() throws Exception {
        VaultExport export = read(ORGANIZATION_GOLDEN);

        assertTrue(export.isOrganization());
        assertEquals(List.of("Engineering", "Engineering/Servers"), export.collections().stream().map(VaultCollection::name).toList());
        assertEquals(export.collections().stream().map(VaultCollection::id).toList(), export.items().get(0).collectionIds());
        assertNull(export.items().get(0).favorite());
    }

    @Test
    void folderAndCollectionIdsFollowFromTheirNames() throws Exception {
        VaultExport first = read(PERSONAL_GOLDEN);
        VaultExport again = read(PERSONAL_HEADER + "\nWork,,note,Other,,,0,,,,,");

        assertEquals(first.folders().get(0).id(), again.folders().get(0).id());
        assertEquals(1, read(PERSONAL_HEADER + "\nWork,,note,A,,,,,,,,\nWork,,note,B,,,,,,,,").folders().size());
    }

    @Test
    void anEmptyVaultIsTheHeaderAlone() throws Exception {
        CsvExport csv = BitwardenCsv.write(VaultExport.personal(List.of(), List.of()));

        assertEquals(PERSONAL_HEADER, csv.text());
        assertEquals(List.of(), read(csv.text()).items());
    }

    @Test
    void reportsEveryItemAndEveryKindOfDataItCannotCarry() throws Exception {
        VaultExport export = BitwardenJson.read(TestVaults.fixture("personal-every-type.json"));

        CsvExport csv = BitwardenCsv.write(export);

        assertEquals(2, csv.written());
        assertEquals(List.of(
                new Skipped(ItemType.CARD, SkipReason.NOT_LOGIN_OR_NOTE, 1),
                new Skipped(ItemType.IDENTITY, SkipReason.NOT_LOGIN_OR_NOTE, 1),
                new Skipped(ItemType.SSH_KEY, SkipReason.NOT_LOGIN_OR_NOTE, 2),
                new Skipped(ItemType.BANK_ACCOUNT, SkipReason.NOT_LOGIN_OR_NOTE, 1),
                new Skipped(ItemType.DRIVERS_LICENSE, SkipReason.NOT_LOGIN_OR_NOTE, 1),
                new Skipped(ItemType.PASSPORT, SkipReason.NOT_LOGIN_OR_NOTE, 1),
                new Skipped(ItemType.of(42), SkipReason.NOT_LOGIN_OR_NOTE, 1),
                new Skipped(ItemType.LOGIN, SkipReason.IN_TRASH, 1)), csv.skipped());
        assertEquals(export.items().size(), csv.written() + csv.skippedCount());
        assertEquals(List.of(
                new Lost(Loss.PASSWORD_HISTORY, 1),
                new Lost(Loss.PASSKEYS, 1),
                new Lost(Loss.FIELD_TYPES, 1),
                new Lost(Loss.URI_MATCH, 1),
                new Lost(Loss.IDS_AND_DATES, 2),
                new Lost(Loss.OTHER_PROPERTIES, 2)), csv.lost());
        String report = csv.report();
        assertFalse(report.contains(SECRET), report);
        assertEquals("wrote 2 items (personal columns); left out (CSV holds logins and secure notes only): card 1, identity 1, "
                + "SSH key 2, bank account 1, driver's licence 1, passport 1, type 42 1; left out (in the trash, which Bitwarden's "
                + "CSV export leaves out too): login 1; not carried: password history on 1 item; passkeys on 1 item; custom "
                + "field types on 1 item; URI match rules on 1 item; ids and dates on 2 items; other properties on 2 items", report);
    }

    @Test
    void attachmentsCollectionsFoldersAndFavoritesThatALayoutCannotHoldAreCounted() throws Exception {
        VaultExport snapshot = BitwardenJson.read(TestVaults.fixture("keyguard-snapshot.json"));

        CsvExport personal = BitwardenCsv.write(snapshot, BitwardenCsv.Layout.PERSONAL);
        CsvExport organization = BitwardenCsv.write(snapshot, BitwardenCsv.Layout.ORGANIZATION);
        CsvExport favorite = BitwardenCsv.write(VaultExport.organization(List.of(),
                List.of(Item.builder(ItemType.SECURE_NOTE).name("n").favorite(true).folderId("gone").build())));

        assertTrue(personal.lost().contains(new Lost(Loss.ATTACHMENTS, 1)), personal.report());
        assertTrue(personal.lost().contains(new Lost(Loss.COLLECTIONS, 1)), personal.report());
        assertTrue(organization.lost().contains(new Lost(Loss.FOLDER, 1)), organization.report());
        assertFalse(organization.lost().contains(new Lost(Loss.COLLECTIONS, 1)), organization.report());
        assertTrue(organization.text().endsWith("\r\nEngineering,note,Org note,S3CR3T-KG-NOTE,,0,,,,,"), organization.text());
        assertEquals(List.of(new Lost(Loss.FOLDER, 1), new Lost(Loss.FAVORITE, 1)), favorite.lost());
    }

    @Test
    void aCollectionNameWithACommaCannotBeCarried() {
        VaultExport export = VaultExport.organization(List.of(new VaultCollection("c", "o", "Sales, EMEA", null, null)),
                List.of(Item.builder(ItemType.SECURE_NOTE).name("n").reprompt(0).collectionIds(List.of("c")).build()));

        CsvExport csv = BitwardenCsv.write(export);

        assertEquals(List.of(new Lost(Loss.COLLECTIONS, 1)), csv.lost());
        assertTrue(csv.text().endsWith("\r\n,note,n,,,0,,,,,"), csv.text());
    }

    @Test
    void customFieldsAreNameValueLinesAndAMissingValueIsLeftEmpty() throws Exception {
        Item item = Item.builder(ItemType.SECURE_NOTE).name("n").reprompt(0)
                .fields(List.of(CustomField.linked("Linked", 100), CustomField.text(null, "no name"), CustomField.text("a", "b: c")))
                .build();

        CsvExport csv = BitwardenCsv.write(VaultExport.personal(List.of(), List.of(item)));

        assertTrue(csv.text().contains(",\"Linked: \n: no name\na: b: c\","), csv.text());
        assertEquals(List.of(new Lost(Loss.FIELD_TYPES, 1), new Lost(Loss.FIELD_TEXT, 1)), csv.lost());
        assertEquals(List.of(CustomField.text("Linked", null), CustomField.text(null, "no name"), CustomField.text("a: b", "c")),
                read(csv.text()).items().get(0).fields());
    }

    @Test
    void fieldLinesAreSplitAtTheLastSeparatorAndContinuationLinesJoinTheValueBefore() {
        assertEquals(List.of(CustomField.text("Account: ID", "42")), BitwardenCsv.parseFields("Account: ID: 42"));
        assertEquals(List.of(CustomField.text("Address", "1 Main St\nSpringfield"), CustomField.text("PIN", "1")),
                BitwardenCsv.parseFields("Address: 1 Main St\r\nSpringfield\nPIN: 1"));
        assertEquals(List.of(CustomField.text("lonely", null)), BitwardenCsv.parseFields("\nlonely"));
        assertEquals(List.of(CustomField.text("Linked", "null")), BitwardenCsv.parseFields("Linked: null"));
        assertNull(BitwardenCsv.parseFields(" \n "));
    }

    @Test
    void readsWhateverOrderOfColumnsOlderHeadersLineEndingsAndUriSeparators() throws Exception {
        String csv = "\uFEFFtype,name,folder,login_uri,login_username,login_password,login_totp,notes,fields,favorite\n"
                + "login,Mail,Work,\"https://a.example\nhttps://b.example\",me," + SECRET + ",,\"multi\r\nline\",,1\n"
                + "\n"
                + "login,Shop,,\"https://c.example,\"\"https://d.example/?q=1,2\"\"\",you,,,,,0\r\n\r\n";

        VaultExport export = read(csv);

        assertEquals(2, export.items().size());
        Item mail = export.items().get(0);
        assertEquals(List.of("https://a.example", "https://b.example"), mail.login().uris().stream().map(LoginUri::uri).toList());
        assertEquals("multi\r\nline", mail.notes());
        assertNull(mail.reprompt());
        assertNull(mail.archivedDate());
        assertEquals(List.of("https://c.example", "https://d.example/?q=1,2"),
                export.items().get(1).login().uris().stream().map(LoginUri::uri).toList());
    }

    @Test
    void aUriWithACommaIsQuotedInsideItsCellAndReadsBack() throws Exception {
        Item item = Item.builder(ItemType.LOGIN).name("x").reprompt(0)
                .login(Login.of(null, null, null, List.of("https://a.example/?q=1,2", "https://b.example"))).build();

        CsvExport csv = BitwardenCsv.write(VaultExport.personal(List.of(), List.of(item)));

        assertTrue(csv.text().contains(",\"\"\"https://a.example/?q=1,2\"\",https://b.example\","), csv.text());
        assertEquals(item.login().uris(), read(csv.text()).items().get(0).login().uris());
    }

    // ------------------------------------------------------------ malformed input: the row, the line, no content

    @Test
    void anUnclosedQuoteNamesItsRowAndLine() {
        String csv = PERSONAL_HEADER + "\r\nWork,,note,\"two\nlines\",,,0,,,,,\r\nWork,,login,\"Mail " + SECRET + ",,,0,,,,,";

        ExportFormatException e = malformed(csv);

        assertEquals(Problem.MALFORMED_CSV, e.problem());
        assertEquals(3, e.row().orElseThrow());
        assertEquals(4, e.line().orElseThrow());
        assertEquals("CSV row 3 (line 4) cell 4 opens a quote that is never closed", e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsMalformed() {
        ExportFormatException e = malformed(PERSONAL_HEADER + "\n,,login,\"Mail\"" + SECRET + ",,,0,,,,,");

        assertEquals(2, e.row().orElseThrow());
        assertTrue(e.getMessage().contains("cell 4 has text after its closing quote"), e.getMessage());
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsMalformed() {
        ExportFormatException e = malformed(PERSONAL_HEADER + "\n,,login,Mail,,,0,,,,,\n,,login," + SECRET + ",x");

        assertEquals(3, e.row().orElseThrow());
        assertEquals("CSV row 3 (line 3) has 5 cells where the header has 12", e.getMessage());
    }

    @Test
    void valuesAColumnCannotTakeAreMalformed() {
        String row = "\n,%s,%s," + SECRET + ",,,%s,,,%s,,";

        assertTrue(malformed(PERSONAL_HEADER + row.formatted("", "card", "0", "")).getMessage().contains("type must be login or note"));
        assertTrue(malformed(PERSONAL_HEADER + row.formatted("yes", "login", "0", "")).getMessage().contains("favorite must be"));
        assertTrue(malformed(PERSONAL_HEADER + row.formatted("", "login", SECRET, "")).getMessage().contains("reprompt must be"));
        assertTrue(malformed(PERSONAL_HEADER + row.formatted("", "note", "0", SECRET)).getMessage().contains("only login rows"));
        ExportFormatException uri = malformed(PERSONAL_HEADER + "\n,,login,x,,,0,,\"\"\"" + SECRET + "\",,,");
        assertTrue(uri.getMessage().contains("login_uri is not a list of URIs"), uri.getMessage());
    }

    @Test
    void aHeaderThatIsNotBitwardensIsNotAnExport() {
        ExportFormatException other = malformed("url,username,password\nhttps://x," + SECRET + "," + SECRET);
        ExportFormatException noType = malformed("folder,name\nWork," + SECRET);
        ExportFormatException both = malformed("folder,collections,type,name\n,,login,x");
        ExportFormatException twice = malformed("folder,type,name,name\n,login,x,y");

        for (ExportFormatException e : List.of(other, noType, both, twice)) {
            assertEquals(Problem.NOT_AN_EXPORT, e.problem());
        }
        assertEquals("not a Bitwarden CSV export: column 1 of the header is not one of Bitwarden's columns", other.getMessage());
        assertTrue(noType.getMessage().contains("lacks the type or name column"));
        assertTrue(both.getMessage().contains("either a folder column"));
        assertTrue(twice.getMessage().contains("name column twice"));
    }

    @Test
    void emptyFilesAndOtherEncodingsAreNotExports() {
        assertEquals(Problem.NOT_AN_EXPORT, malformed("").problem());
        assertEquals(Problem.NOT_AN_EXPORT, malformed("\n\r\n").problem());
        byte[] latin1 = (PERSONAL_HEADER + "\n,,note,caf\u00e9,,,0,,,,,").getBytes(StandardCharsets.ISO_8859_1);
        ExportFormatException e = assertThrows(ExportFormatException.class, () -> BitwardenCsv.read(latin1));
        assertEquals("the CSV file is not UTF-8 text", e.getMessage());
    }

    @Test
    void cellsAreQuotedByPapaparsesRule() {
        assertEquals(Arrays.asList("", "", "plain", "\"a,b\"", "\"a\"\"b\"", "\"a\nb\"", "\"a\rb\"", "\" a\"", "\"a \"",
                        "\"\uFEFFa\"", "a\tb", "a:b"),
                Arrays.asList(null, "", "plain", "a,b", "a\"b", "a\nb", "a\rb", " a", "a ", "\uFEFFa", "a\tb", "a:b").stream()
                        .map(CsvText::cell).toList());
    }

    private static VaultExport read(String csv) throws ExportFormatException {
        return BitwardenCsv.read(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static ExportFormatException malformed(String csv) {
        ExportFormatException e = assertThrows(ExportFormatException.class, () -> read(csv));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertNull(e.getCause());
        return e;
    }
}
