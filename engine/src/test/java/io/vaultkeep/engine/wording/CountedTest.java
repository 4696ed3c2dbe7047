package io.vaultkeep.engine.wording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountedTest {

    @Test
    void oneIsSingularEverythingElsePlural() {
        assertEquals("1 attachment", Counted.of(1, "attachment"));
        assertEquals("0 attachments", Counted.of(0, "attachment"));
        assertEquals("2 blobs", Counted.of(2, "blob"));
        assertEquals("1 index", Counted.of(1, "index", "indexes"));
        assertEquals("3 indexes", Counted.of(3, "index", "indexes"));
    }
}
