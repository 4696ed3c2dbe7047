package io.vaultkeep.engine.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.crypto.UserKeyChain;
import io.vaultkeep.storage.repository.FetchedVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain export is read once, without its tree, and gives the vault the tree reading gave; every
 * other input still reads through the tree, with the same errors.
 */
class ExportFileVaultTest {

    private static final Path FILE = Path.of("bitwarden_export.json");

    private static final String EXPORT = """
            {
              "encrypted": false,
              "folders": [{"id": "f1", "name": "Work"}],
              "items": [
                {"id": "i1", "type": 1, "name": "Mail", "login": {"username": "u", "password": "S3CR3T"},
                 "attachments": [{"id": "a1", "fileName": "scan.pdf", "size": "12"}, {"id": "a2", "fileName": "x", "size": "1"}]},
                {"id": "i2", "type": 99, "name": "a type not known", "futureField": {"n": 1.50}},
                {"id": "i3", "type": 2, "name": "Note", "attachments": null}
              ]
            }""";

    private static final ExportDecoder.Secrets NO_SECRETS = new ExportDecoder.Secrets() {
        @Override
        public char[] exportPassword() {
            throw new AssertionError("a plain export needs no password");
        }

        @Override
        public UserKeyChain accountKeys() {
            throw new AssertionError("a plain export needs no keys");
        }
    };

    @Test
    void aPlainExportIsReadOnceAndCountedAsItsTreeWouldBe(@TempDir Path dir) throws IOException {
        byte[] bytes = EXPORT.getBytes(StandardCharsets.UTF_8);
        ExportDecoder.PlainJson plain = ExportDecoder.decode(bytes, FILE, NO_SECRETS);
        assertSame(bytes, plain.json(), "a plain export is stored as given");
        assertNotNull(plain.outline());

        FetchedVault outlined = ExportFileVault.fromJson(plain, FILE, null, "acct", true);
        // the tree reading, as with an attachments folder (here an empty one)
        FetchedVault viaTree = ExportFileVault.fromJson(bytes, FILE, Files.createDirectory(dir.resolve("attachments")), "acct", true);
        assertArrayEquals(bytes, outlined.vaultJson(), "every byte kept");
        assertEquals(3, outlined.cipherCount());
        assertEquals(viaTree.cipherCount(), outlined.cipherCount());
        assertEquals(2, outlined.unavailableAttachmentCount(), "listed, with no file given");
        assertEquals(viaTree.unavailableAttachmentCount(), outlined.unavailableAttachmentCount());
        assertTrue(outlined.attachments().isEmpty());
        assertEquals(viaTree.warnings(), outlined.warnings());
    }

    @Test
    void malformedAndTruncatedExportsSayWhereAndNeverWhat() {
        String truncated = EXPORT.substring(0, EXPORT.indexOf("S3CR3T") + 4);
        VaultSourceException cut = assertThrows(VaultSourceException.class,
                () -> ExportDecoder.decode(truncated.getBytes(StandardCharsets.UTF_8), FILE, NO_SECRETS));
        assertEquals(FILE + " is not a Bitwarden export: the JSON ends early at line 5, column 89: the file looks cut off", cut.getMessage());

        String broken = EXPORT.replace("\"type\": 2,", "\"type\": 2,,");
        VaultSourceException bad = assertThrows(VaultSourceException.class,
                () -> ExportDecoder.decode(broken.getBytes(StandardCharsets.UTF_8), FILE, NO_SECRETS));
        assertEquals(FILE + " is not a Bitwarden export: not valid JSON at line 8, column 28", bad.getMessage());

        // what decryption or a conversion hands over is read by fromJson itself, through the tree when malformed
        VaultSourceException direct = assertThrows(VaultSourceException.class,
                () -> ExportFileVault.fromJson(broken.getBytes(StandardCharsets.UTF_8), FILE, null, "acct", true));
        assertEquals(FILE + " is not valid JSON (line 8, column 28)", direct.getMessage());
        for (VaultSourceException e : new VaultSourceException[] {cut, bad, direct}) {
            assertTrue(!e.getMessage().contains("S3CR3T") && !e.getMessage().contains("S3CR"), e.getMessage());
        }
    }

    @Test
    void aUtf16FileIsRefusedAsBefore() {
        byte[] utf16 = ("\uFEFF" + EXPORT).getBytes(StandardCharsets.UTF_16LE);
        VaultSourceException e = assertThrows(VaultSourceException.class, () -> ExportDecoder.decode(utf16, FILE, NO_SECRETS));
        assertEquals(FILE + " is not a Bitwarden export: neither JSON nor a CSV with Bitwarden's header", e.getMessage());
    }

    @Test
    void anExportWithoutAnItemsListIsRefusedAsBefore() {
        VaultSourceException e = assertThrows(VaultSourceException.class, () -> ExportFileVault.fromJson(
                "{\"encrypted\": false, \"items\": {}}".getBytes(StandardCharsets.UTF_8), FILE, null, "acct", true));
        assertEquals(FILE + " is not a Bitwarden json export: it has no \"items\" list", e.getMessage());
        assertNull(io.vaultkeep.protocol.bitwarden.ExportOutline.scan("{\"items\": {}}".getBytes(StandardCharsets.UTF_8)));
    }
}
