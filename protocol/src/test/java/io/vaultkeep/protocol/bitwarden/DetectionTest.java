package io.vaultkeep.protocol.bitwarden;

import static io.vaultkeep.protocol.bitwarden.TestVaults.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DetectionTest {

    /** The shape Bitwarden's exporter writes for a file password (values shortened). */
    static final String PASSWORD_PROTECTED = """
            {
              "encrypted": true,
              "passwordProtected": true,
              "salt": "QmFzZTY0U2FsdA==",
              "kdfType": 1,
              "kdfIterations": 3,
              "kdfMemory": 64,
              "kdfParallelism": 4,
              "encKeyValidation_DO_NOT_EDIT": "2.XYas5NIOgNKTbKPcn2+E/Q==|e6PoJgoF|QTJDcPN3",
              "data": "2.uoB/y3k8KI8eIyhuI0Ik3A==|L+ppOwOYhdHM|nklVfeK8"
            }""";

    static final String ACCOUNT_RESTRICTED = """
            {
              "encrypted": true,
              "encKeyValidation_DO_NOT_EDIT": "2.XYas5NIOgNKTbKPcn2+E/Q==|e6PoJgoF|QTJDcPN3",
              "folders": [{"id": "942e2984-1b9a-453b-b039-b107012713b9", "name": "2.uoB/y3k8KI8eIyhuI0Ik3A==|L+pp|nklV"}],
              "items": [{"id": "25c8c414-b446-48e9-a1bd-b10700bbd740", "type": 1, "key": "2.zKys|+Us0|spyl",
                         "name": "2.W4t6HkuZ|ygAm|JDBT", "favorite": false, "revisionDate": "2024-01-30T14:09:33.753Z"}]
            }""";

    static final String ACCOUNT_RESTRICTED_V2 = """
            {
              "encrypted": true,
              "encKeyValidation_DO_NOT_EDIT": "7.g0RBAQEAoQNYOHg",
              "folders": [],
              "items": [{"id": "25c8c414-b446-48e9-a1bd-b10700bbd740", "type": 1, "data": "7.hEOhAQqgWQEBpQE"}]
            }""";

    @Test
    void plainPersonalAndOrganizationExports() {
        Detection personal = detect(TestVaults.fixtureText("personal-every-type.json"));
        Detection organization = detect(TestVaults.fixtureText("organization.json"));

        assertEquals(ExportKind.PLAIN_JSON, personal.kind());
        assertEquals("an unencrypted json export (personal, 2 folders, 11 items)", personal.reason());
        assertEquals(ExportKind.PLAIN_JSON, organization.kind());
        assertEquals("an unencrypted json export (organization, 2 collections, 2 items)", organization.reason());
        assertFalse(personal.isEncrypted());
    }

    @Test
    void passwordProtectedExportsNameTheirKdf() {
        Detection argon = detect(PASSWORD_PROTECTED);
        Detection pbkdf2 = detect(PASSWORD_PROTECTED.replace("\"kdfType\": 1", "\"kdfType\": 0"));

        assertEquals(ExportKind.PASSWORD_PROTECTED, argon.kind());
        assertTrue(argon.reason().contains("Argon2id"), argon.reason());
        assertEquals(ExportKind.PASSWORD_PROTECTED, pbkdf2.kind());
        assertTrue(pbkdf2.reason().contains("PBKDF2"), pbkdf2.reason());
        assertTrue(argon.isEncrypted());
    }

    @Test
    void accountRestrictedExportsAndTheirV2Form() {
        Detection v1 = detect(ACCOUNT_RESTRICTED);
        Detection v2 = detect(ACCOUNT_RESTRICTED_V2);
        Detection v2InAnItemOnly = detect(ACCOUNT_RESTRICTED.replace("2.W4t6HkuZ", "7.W4t6HkuZ"));

        assertEquals(ExportKind.ACCOUNT_RESTRICTED, v1.kind());
        assertEquals(ExportKind.ACCOUNT_RESTRICTED_V2, v2.kind());
        assertEquals(ExportKind.ACCOUNT_RESTRICTED_V2, v2InAnItemOnly.kind());
        assertTrue(v2.reason().contains("not supported"), v2.reason());
    }

    @Test
    void csvExportsOfBothLayouts() {
        String personal = "\uFEFFfolder,favorite,type,name,notes,fields,reprompt,archivedDate,login_uri,login_username,"
                + "login_password,login_totp\r\nWork,1,login,Mail,,,0,,https://mail.example.com,me," + SECRET + ",";
        String organization = "collections,type,name,notes,fields,reprompt,archivedDate,login_uri,login_username,"
                + "login_password,login_totp\n";

        Detection p = detect(personal);
        Detection o = detect(organization);

        assertEquals(ExportKind.CSV, p.kind());
        assertTrue(p.reason().contains("personal"), p.reason());
        assertEquals(ExportKind.CSV, o.kind());
        assertTrue(o.reason().contains("organization"), o.reason());
    }

    @Test
    void everythingElseIsUnknownWithAReason() {
        Detection empty = detect("");
        Detection blank = detect(" \n\t ");
        Detection zip = BitwardenJson.detect(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});
        Detection text = detect("url,username,password\nhttps://x," + SECRET + "," + SECRET);
        Detection noItems = detect("{\"encrypted\": false, \"folders\": [], \"" + SECRET + "\": 1}");
        Detection array = detect("[1, 2]");
        String json = TestVaults.fixtureText("organization.json");
        Detection truncated = detect(json.substring(0, json.indexOf("S3CR3T-CI") + 8));

        for (Detection d : new Detection[] {empty, blank, zip, text, noItems, array, truncated}) {
            assertEquals(ExportKind.UNKNOWN, d.kind(), d.reason());
            assertFalse(d.reason().contains(SECRET), d.reason());
        }
        assertTrue(empty.reason().contains("empty"));
        assertTrue(blank.reason().contains("empty"));
        assertTrue(zip.reason().contains("ZIP"));
        assertTrue(text.reason().contains("neither JSON nor"), text.reason());
        assertTrue(noItems.reason().contains("\"items\""), noItems.reason());
        assertTrue(array.reason().contains("array"), array.reason());
        assertTrue(truncated.reason().contains("ends early at line 17"), truncated.reason());
    }

    private static Detection detect(String text) {
        return BitwardenJson.detect(text.getBytes(StandardCharsets.UTF_8));
    }
}
