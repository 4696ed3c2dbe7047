package io.vaultkeep.storage.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a listing (a folder walk, a WebDAV server's answer) may name: only paths that stay inside the root. */
class ObjectKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"repo.zip", "blobs/ab/cd/x.zip", "blobs/ab", ".kg-tmp-1.tmp", "blobs/.kg-tmp-2.tmp", "a..b/c"})
    void pathsInsideTheRootStayInside(String path) {
        assertTrue(ObjectKeys.staysInside(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../x", "a/../../x", "a/./b", "a//b", "/etc/passwd", "a\\..\\b", "a\0b", "a/"})
    void pathsThatCouldLeaveTheRootDoNot(String path) {
        assertFalse(ObjectKeys.staysInside(path), path);
    }
}
