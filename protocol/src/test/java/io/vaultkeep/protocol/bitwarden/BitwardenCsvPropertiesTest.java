package io.vaultkeep.protocol.bitwarden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.protocol.bitwarden.CsvExport.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BitwardenCsvPropertiesTest {

    @Provide
    Arbitrary<VaultExport> loginsAndNotes() {
        return TestVaults.csvVault(false);
    }

    @Provide
    Arbitrary<VaultExport> anyTypes() {
        return TestVaults.csvVault(true);
    }

    /**
     * Every login and note field CSV can carry comes back as written: type, name, notes, favorite
     * (personal), reprompt, archived date, folder or collection names, username, password, TOTP and
     * URIs; custom fields as name/value text unless the writer reported that their text does not fit.
     * Empty strings read back as absent, which is CSV's one normalisation.
     */
    @Property(tries = 300)
    void csvKeepsEveryFieldItCanCarry(@ForAll("loginsAndNotes") VaultExport vault,
            @ForAll BitwardenCsv.Layout layout) throws Exception {
        CsvExport csv = BitwardenCsv.write(vault, layout);

        VaultExport back = BitwardenCsv.read(csv.bytes());

        assertEquals(vault.items().size(), csv.written());
        assertEquals(vault.items().size(), back.items().size());
        Map<String, String> folderNames = back.folders() == null ? Map.of()
                : back.folders().stream().collect(Collectors.toMap(Folder::id, Folder::name));
        Map<String, String> collectionNames = back.collections() == null ? Map.of()
                : back.collections().stream().collect(Collectors.toMap(VaultCollection::id, VaultCollection::name));
        boolean fieldsFit = csv.lost().stream().noneMatch(l -> l.what() == Loss.FIELD_TEXT);
        for (int i = 0; i < vault.items().size(); i++) {
            Item sent = vault.items().get(i);
            Item got = back.items().get(i);
            assertEquals(carried(sent, layout, fieldsFit), carried(got, layout, fieldsFit, folderNames, collectionNames));
        }
    }

    /** Every item is either written or counted as left out; none disappears unreported. */
    @Property(tries = 200)
    void everyItemIsWrittenOrCounted(@ForAll("anyTypes") VaultExport vault, @ForAll BitwardenCsv.Layout layout) throws Exception {
        CsvExport csv = BitwardenCsv.write(vault, layout);

        long carriable = vault.items().stream()
                .filter(item -> item.type().equals(ItemType.LOGIN) || item.type().equals(ItemType.SECURE_NOTE)).count();
        assertEquals(carriable, csv.written());
        assertEquals(vault.items().size(), csv.written() + csv.skippedCount());
        assertEquals(carriable, BitwardenCsv.read(csv.bytes()).items().size());
    }

    /** What CSV carries of a written item, in the test's terms: ids are replaced by the names they stand for. */
    private static List<Object> carried(Item item, BitwardenCsv.Layout layout, boolean fieldsFit) {
        Map<String, String> folders = TestVaults.FOLDERS.stream().collect(Collectors.toMap(Folder::id, Folder::name));
        Map<String, String> collections = TestVaults.COLLECTIONS.stream()
                .filter(c -> !c.name().contains(","))
                .collect(Collectors.toMap(VaultCollection::id, VaultCollection::name));
        return carried(item, layout, fieldsFit, folders, collections);
    }

    private static List<Object> carried(Item item, BitwardenCsv.Layout layout, boolean fieldsFit,
            Map<String, String> folders, Map<String, String> collections) {
        boolean personal = layout == BitwardenCsv.Layout.PERSONAL;
        List<Object> fields = null;
        if (fieldsFit && item.fields() != null && !item.fields().isEmpty()) {
            fields = new ArrayList<>();
            for (CustomField field : item.fields()) {
                fields.add(Arrays.asList(blankToNull(field.name()), blankToNull(field.value())));
            }
        }
        Login login = item.login();
        List<String> uris = login == null || login.uris() == null ? List.of()
                : login.uris().stream().map(LoginUri::uri).filter(u -> u != null && !u.isEmpty()).toList();
        Set<String> collectionNames = new LinkedHashSet<>();
        if (!personal && item.collectionIds() != null) {
            item.collectionIds().stream().map(collections::get).filter(n -> n != null && !n.isEmpty()).forEach(collectionNames::add);
        }
        return Arrays.asList(
                item.type(),
                blankToNull(item.name()),
                blankToNull(item.notes()),
                personal ? item.isFavorite() : null,
                item.reprompt() == null ? 0 : item.reprompt(),
                blankToNull(item.archivedDate()),
                personal && item.folderId() != null ? blankToNull(folders.get(item.folderId())) : null,
                collectionNames,
                fields,
                login == null ? null : blankToNull(login.username()),
                login == null ? null : blankToNull(login.password()),
                login == null ? null : blankToNull(login.totp()),
                uris);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
