package io.vaultkeep.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @TempDir
    Path temp;

    private Path secret(String name, byte[] content, String mode) throws IOException {
        Path file = temp.resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private Path secret(String name, String content, String mode) throws IOException {
        return secret(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    private String refused(Path file) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(file));
        return e.getMessage();
    }

    @Test
    void aPrivateFileIsReadAsUtf8WithOneTrailingLineBreakDropped() throws Exception {
        assertArrayEquals("pässwörd".toCharArray(), SecretFile.read(secret("a", "pässwörd\n", "rw-------")));
        assertArrayEquals("crlf".toCharArray(), SecretFile.read(secret("b", "crlf\r\n", "r--------")));
        assertArrayEquals("none".toCharArray(), SecretFile.read(secret("c", "none", "r--------")));
        // only one line break is the file's ending; the rest belongs to the secret
        assertArrayEquals(" two\n".toCharArray(), SecretFile.read(secret("d", " two\n\n", "rw-------")));
    }

    @Test
    void aFileOtherUsersMayReadOrWriteIsRefusedWithoutShowingItsContent() throws Exception {
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw-----w-"}) {
            Path file = secret("open-" + mode, "hunter2", mode);
            String message = refused(file);
            assertEquals("secret file " + file + " is open to other users (" + mode + "): make it private to its owner, "
                    + "e.g. chmod 600 " + file, message);
            assertFalse(message.contains("hunter2"), message);
        }
        // execute bits give nobody the secret
        assertArrayEquals("x".toCharArray(), SecretFile.read(secret("exec", "x", "rwx--x--x")));
    }

    @Test
    void missingEmptyFolderLargeAndNonTextFilesAreNamed() throws Exception {
        Path missing = temp.resolve("missing");
        assertEquals("secret file " + missing + " does not exist", refused(missing));
        assertEquals("secret file " + temp + " is not a regular file", refused(temp));
        Path empty = secret("empty", "\n", "rw-------");
        assertEquals("secret file " + empty + " is empty", refused(empty));
        Path binary = secret("binary", new byte[] {'s', (byte) 0xff, 'x'}, "rw-------");
        assertEquals("secret file " + binary + " is not UTF-8 text", refused(binary));
        Path large = secret("large", new byte[SecretFile.MAX_BYTES + 1], "rw-------");
        assertEquals("secret file " + large + " is larger than 64 KiB: it does not hold a password or key", refused(large));
    }
}
