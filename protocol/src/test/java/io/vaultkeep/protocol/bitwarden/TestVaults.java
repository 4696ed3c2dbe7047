package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Test vaults: the realistic fixtures under {@code src/test/resources/bitwarden}, and generators for
 * property tests — random export trees (every item type, known and unknown, unknown keys, nulls and
 * odd shapes at every level) and random login/note vaults built through the record API.
 */
final class TestVaults {

    /** Put into vault text so that tests can assert it never reaches a message. */
    static final String SECRET = "S3CR3T";

    static final List<String> FIXTURES = List.of("personal-every-type.json", "organization.json", "keyguard-snapshot.json");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Marks a key the generated object leaves out. */
    private static final JsonNode LEFT_OUT = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    private TestVaults() {}

    static byte[] fixture(String name) {
        try (InputStream in = TestVaults.class.getResourceAsStream("/bitwarden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fixtureText(String name) {
        return new String(fixture(name), StandardCharsets.UTF_8);
    }

    static JsonNode tree(byte[] json) {
        try {
            return BitwardenJson.readTree(json);
        } catch (ExportFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------ text

    /** Text with the characters that trouble CSV and line formats: commas, quotes, line breaks, ": ", BOM, emoji. */
    static Arbitrary<String> text() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').withCharRange('à', 'ÿ').ofMaxLength(8);
        Arbitrary<String> tricky = Arbitraries.of(",", "\"", "\n", "\r\n", "\r", ": ", ":", " ", "  ", "😀", "\uFEFF", "null",
                "\t", "é", SECRET);
        return Arbitraries.oneOf(plain, tricky).list().ofMaxSize(5).map(parts -> String.join("", parts));
    }

    static Arbitrary<String> nullableText() {
        return text().injectNull(0.2);
    }

    static Arbitrary<String> date() {
        return Arbitraries.of("2026-05-28T10:42:11.123Z", "2024-01-30T14:09:33.753Z", "2026-05-28T10:42:11Z",
                "2026-05-28T12:42:11.1234567+02:00", "2027-02-01T00:00:00.000Z");
    }

    // ------------------------------------------------------------ random export trees

    /** Any JSON value, nested a little: what an unknown key may hold. */
    static Arbitrary<JsonNode> anyJson(int depth) {
        List<Arbitrary<JsonNode>> leaves = new ArrayList<>(List.of(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().greaterOrEqual(1L << 40).map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.bigDecimals().between(new BigDecimal("-1000"), new BigDecimal("1000")).ofScale(3)
                        .map(d -> (JsonNode) NODES.numberNode(d)),
                text().map(s -> (JsonNode) NODES.textNode(s))));
        if (depth > 0) {
            leaves.add(anyJson(depth - 1).list().ofMaxSize(3).map(list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(array::add);
                return (JsonNode) array;
            }));
            leaves.add(Arbitraries.maps(unknownKey(), anyJson(depth - 1)).ofMaxSize(3).map(map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach(object::set);
                return (JsonNode) object;
            }));
        }
        return Arbitraries.oneOf(leaves);
    }

    /** A key no record knows. */
    static Arbitrary<String> unknownKey() {
        return Arbitraries.oneOf(
                Arbitraries.of("futureFlag", "other", "x-extra", "key", "bankAccount", "uriChecksum", "", "encKeyValidation_DO_NOT_EDIT"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).map(s -> "zz" + s));
    }

    /**
     * An object with some of {@code known} (key → generator of a well-shaped value); each known key is
     * left out, null, of an odd shape or well-shaped; plus a few unknown keys.
     */
    private static Arbitrary<ObjectNode> object(Map<String, Supplier<Arbitrary<JsonNode>>> known) {
        List<Arbitrary<Map.Entry<String, JsonNode>>> entries = new ArrayList<>();
        for (Map.Entry<String, Supplier<Arbitrary<JsonNode>>> key : known.entrySet()) {
            Arbitrary<JsonNode> value = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(6, Arbitraries.lazy(key.getValue()::get)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(NODES.nullNode())),
                    net.jqwik.api.Tuple.of(1, anyJson(1)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.just(LEFT_OUT)));
            entries.add(value.map(v -> Map.entry(key.getKey(), v)));
        }
        Arbitrary<List<Map.Entry<String, JsonNode>>> knownEntries = Combinators.combine(entries).as(list -> list);
        Arbitrary<Map<String, JsonNode>> unknown = Arbitraries.maps(unknownKey(), anyJson(1)).ofMaxSize(2);
        return Combinators.combine(knownEntries, unknown).as((list, extra) -> {
            ObjectNode object = NODES.objectNode();
            list.stream().filter(e -> e.getValue() != LEFT_OUT).forEach(e -> object.set(e.getKey(), e.getValue()));
            extra.forEach((k, v) -> {
                if (!known.containsKey(k)) {
                    object.set(k, v);
                }
            });
            return object;
        });
    }

    private static Supplier<Arbitrary<JsonNode>> textValue() {
        return () -> text().map(s -> (JsonNode) NODES.textNode(s));
    }

    private static Supplier<Arbitrary<JsonNode>> dateValue() {
        return () -> date().map(s -> (JsonNode) NODES.textNode(s));
    }

    private static Supplier<Arbitrary<JsonNode>> intValue(int... values) {
        return () -> Arbitraries.of(box(values)).map(i -> (JsonNode) NODES.numberNode(i));
    }

    private static Supplier<Arbitrary<JsonNode>> boolValue() {
        return () -> Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b));
    }

    private static Supplier<Arbitrary<JsonNode>> arrayOf(Supplier<Arbitrary<? extends JsonNode>> element, int max) {
        return () -> element.get().list().ofMaxSize(max).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return (JsonNode) array;
        });
    }

    private static Supplier<Arbitrary<JsonNode>> objectOf(Map<String, Supplier<Arbitrary<JsonNode>>> known) {
        return () -> object(known).map(o -> (JsonNode) o);
    }

    private static Map<String, Supplier<Arbitrary<JsonNode>>> texts(String... keys) {
        Map<String, Supplier<Arbitrary<JsonNode>>> map = new LinkedHashMap<>();
        for (String key : keys) {
            map.put(key, textValue());
        }
        return map;
    }

    private static Map<String, Supplier<Arbitrary<JsonNode>>> login() {
        Map<String, Supplier<Arbitrary<JsonNode>>> uri = new LinkedHashMap<>();
        uri.put("match", intValue(0, 1, 2, 3, 4, 5));
        uri.put("uri", textValue());
        Map<String, Supplier<Arbitrary<JsonNode>>> fido2 = texts("credentialId", "keyType", "keyAlgorithm", "keyCurve",
                "keyValue", "rpId", "userHandle", "userName", "counter", "rpName", "userDisplayName", "discoverable");
        fido2.put("creationDate", dateValue());
        Map<String, Supplier<Arbitrary<JsonNode>>> login = new LinkedHashMap<>();
        login.put("uris", arrayOf(objectOf(uri)::get, 3));
        login.putAll(texts("username", "password", "totp"));
        login.put("passwordRevisionDate", dateValue());
        login.put("fido2Credentials", arrayOf(objectOf(fido2)::get, 1));
        return login;
    }

    private static Map<String, Supplier<Arbitrary<JsonNode>>> item() {
        Map<String, Supplier<Arbitrary<JsonNode>>> field = new LinkedHashMap<>();
        field.put("name", textValue());
        field.put("value", textValue());
        field.put("type", intValue(0, 1, 2, 3, 9));
        field.put("linkedId", intValue(100, 101, 300));
        Map<String, Supplier<Arbitrary<JsonNode>>> history = new LinkedHashMap<>();
        history.put("lastUsedDate", dateValue());
        history.put("password", textValue());
        Map<String, Supplier<Arbitrary<JsonNode>>> attachment = texts("id", "url", "fileName", "key", "size", "sizeName");
        Map<String, Supplier<Arbitrary<JsonNode>>> note = new LinkedHashMap<>();
        note.put("type", intValue(0));

        Map<String, Supplier<Arbitrary<JsonNode>>> item = new LinkedHashMap<>();
        item.putAll(texts("id", "organizationId", "folderId"));
        item.put("type", intValue(1, 2, 3, 4, 5, 6, 7, 8, 42));
        item.put("reprompt", intValue(0, 1));
        item.putAll(texts("name", "notes"));
        item.put("favorite", boolValue());
        item.put("fields", arrayOf(objectOf(field)::get, 3));
        item.put("login", objectOf(login()));
        item.put("secureNote", objectOf(note));
        item.put("card", objectOf(texts("cardholderName", "brand", "number", "expMonth", "expYear", "code")));
        item.put("identity", objectOf(texts("title", "firstName", "middleName", "lastName", "address1", "address2",
                "address3", "city", "state", "postalCode", "country", "company", "email", "phone", "ssn", "username",
                "passportNumber", "licenseNumber")));
        item.put("sshKey", objectOf(texts("privateKey", "publicKey", "keyFingerprint", "fingerprint")));
        item.put("bankAccount", objectOf(texts("bankName", "accountNumber", "iban", "pin")));
        item.put("passport", objectOf(texts("surname", "givenName", "passportNumber")));
        item.put("passwordHistory", arrayOf(objectOf(history)::get, 2));
        item.put("revisionDate", dateValue());
        item.put("creationDate", dateValue());
        item.put("deletedDate", dateValue());
        item.put("archivedDate", dateValue());
        item.put("collectionIds", arrayOf(() -> text().map(s -> NODES.textNode(s)), 2));
        item.put("attachments", arrayOf(objectOf(attachment)::get, 2));
        return item;
    }

    /** A random plain export tree: personal or organization, items of every type with keys known and not. */
    static Arbitrary<ObjectNode> exportTrees() {
        Map<String, Supplier<Arbitrary<JsonNode>>> folder = texts("id", "name");
        Map<String, Supplier<Arbitrary<JsonNode>>> collection = texts("id", "organizationId", "name", "externalId");
        Arbitrary<List<ObjectNode>> items = object(item()).list().ofMaxSize(6);
        Arbitrary<JsonNode> folders = arrayOf(objectOf(folder)::get, 3).get();
        Arbitrary<JsonNode> collections = arrayOf(objectOf(collection)::get, 3).get();
        Arbitrary<JsonNode> organizations = arrayOf(objectOf(texts("id", "name"))::get, 2).get();
        Arbitrary<Map<String, JsonNode>> extra = Arbitraries.maps(unknownKey(), anyJson(2)).ofMaxSize(2);
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 2);
        return Combinators.combine(items, folders, collections, organizations, extra, shape)
                .as((itemList, f, c, o, more, kind) -> {
                    ObjectNode root = NODES.objectNode();
                    root.put("encrypted", false);
                    if (kind == 2) {
                        root.set("organizations", o);
                    }
                    if (kind != 1) {
                        root.set("folders", f);
                    }
                    if (kind != 0) {
                        root.set("collections", c);
                    }
                    ArrayNode array = root.putArray("items");
                    itemList.forEach(array::add);
                    more.forEach((key, value) -> {
                        if (!root.has(key)) {
                            root.set(key, value);
                        }
                    });
                    return root;
                });
    }

    // ------------------------------------------------------------ vaults built through the record API

    static final List<Folder> FOLDERS = List.of(
            new Folder("f-1", "Work", null),
            new Folder("f-2", "Private, mostly", null),
            new Folder("f-3", "", null));

    static final List<VaultCollection> COLLECTIONS = List.of(
            new VaultCollection("c-1", "org-1", "Engineering", null, null),
            new VaultCollection("c-2", "org-1", "Engineering/Servers", null, null),
            new VaultCollection("c-3", "org-1", "Sales, EMEA", null, null));

    static Arbitrary<CustomField> customField() {
        return Combinators.combine(nullableText(), nullableText(), Arbitraries.of(0, 0, 0, 1, 2)).as((name, value, type) ->
                new CustomField(name, value, FieldType.of(type), null, null));
    }

    static Arbitrary<Login> loginPayload() {
        return Combinators.combine(nullableText(), nullableText(), nullableText(), text().list().ofMaxSize(3).injectNull(0.3))
                .as(Login::of);
    }

    /** Logins and notes as CSV carries them, with folders or collections; {@code others} adds other types. */
    static Arbitrary<Item> csvItem(boolean others) {
        Arbitrary<ItemType> types = others
                ? Arbitraries.of(ItemType.LOGIN, ItemType.SECURE_NOTE, ItemType.CARD, ItemType.IDENTITY, ItemType.SSH_KEY,
                        ItemType.BANK_ACCOUNT, ItemType.of(42))
                : Arbitraries.of(ItemType.LOGIN, ItemType.SECURE_NOTE);
        Arbitrary<List<CustomField>> fields = customField().list().ofMaxSize(3).injectNull(0.3);
        Arbitrary<String> folderIds = Arbitraries.of("f-1", "f-2", "f-3").injectNull(0.4);
        Arbitrary<List<String>> collectionIds = Arbitraries.of("c-1", "c-2", "c-3").list().uniqueElements().ofMaxSize(2).injectNull(0.3);
        Arbitrary<Integer> reprompt = Arbitraries.of(0, 1).injectNull(0.3);
        Arbitrary<Boolean> favorite = Arbitraries.of(true, false).injectNull(0.2);
        Arbitrary<String> archived = date().injectNull(0.7);
        return Combinators.combine(types, nullableText(), nullableText(), fields, loginPayload(), folderIds, collectionIds,
                        Combinators.combine(reprompt, favorite, archived).as((r, f, a) -> java.util.Arrays.<Object>asList(r, f, a)))
                .as((type, name, notes, fieldList, login, folderId, collections, flags) -> {
                    Item.Builder item = Item.builder(type)
                            .name(name).notes(notes).fields(fieldList)
                            .folderId(folderId).collectionIds(collections)
                            .reprompt((Integer) flags.get(0)).favorite((Boolean) flags.get(1)).archivedDate((String) flags.get(2));
                    if (type.equals(ItemType.LOGIN)) {
                        item.login(login);
                    } else if (type.equals(ItemType.SECURE_NOTE)) {
                        item.secureNote(SecureNote.GENERIC);
                    } else if (type.equals(ItemType.CARD)) {
                        item.card(new Card(name, "Visa", SECRET, "1", "2032", "123", null));
                    } else if (!type.isModelled()) {
                        item.other(type.payloadKey() == null ? "vehicle" : type.payloadKey(),
                                NODES.objectNode().put("secret", SECRET));
                    }
                    return item.build();
                });
    }

    static Arbitrary<VaultExport> csvVault(boolean others) {
        return csvItem(others).list().ofMaxSize(8).map(items ->
                new VaultExport(false, null, COLLECTIONS, FOLDERS, items, null));
    }

    private static Integer[] box(int... values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
