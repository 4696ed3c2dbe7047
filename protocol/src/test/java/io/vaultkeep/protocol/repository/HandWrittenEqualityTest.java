package io.vaultkeep.protocol.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The records whose equals and hashCode are written by hand (start-up, issue 17) compare as records do. */
class HandWrittenEqualityTest {

    @Test
    void objectEncryptionComparesBothComponents() {
        ObjectEncryption a = ObjectEncryption.zipAes256("a2V5");
        assertEquals(a, ObjectEncryption.zipAes256(new String("a2V5")));
        assertEquals(a.hashCode(), ObjectEncryption.zipAes256(new String("a2V5")).hashCode());
        assertNotEquals(a, ObjectEncryption.zipAes256("b3RoZXI="));
        assertNotEquals(a, new ObjectEncryption("another-method", "a2V5"));
        assertNotEquals(a, ObjectEncryption.NONE);
        assertEquals(ObjectEncryption.NONE, new ObjectEncryption(null, null), "a missing method is none");
        assertEquals(ObjectEncryption.NONE.hashCode(), new ObjectEncryption(null, null).hashCode());
        assertNotEquals(ObjectEncryption.NONE, new ObjectEncryption(ObjectEncryption.METHOD_NONE, "a2V5"));
        assertNotEquals(a, (Object) "a2V5");
        assertNotEquals(a, null);
    }

    @Test
    void repoLayoutComparesEveryComponent() {
        RepoLayout layout = new RepoLayout(null, null, null, null);
        assertEquals(RepoLayout.DEFAULT, layout, "missing parts are the default's");
        assertEquals(RepoLayout.DEFAULT.hashCode(), layout.hashCode());
        for (RepoLayout other : List.of(new RepoLayout("other.zip", null, null, null), new RepoLayout(null, "i/", null, null),
                new RepoLayout(null, null, "s/", null), new RepoLayout(null, null, null, "b/"))) {
            assertNotEquals(RepoLayout.DEFAULT, other, other::toString);
        }
        assertNotEquals(RepoLayout.DEFAULT, null);
    }
}
