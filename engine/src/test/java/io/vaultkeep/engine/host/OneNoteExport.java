package io.vaultkeep.engine.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host tests' export folder: one secure note, as `bw export --format json` writes it. */
public final class OneNoteExport {

    private OneNoteExport() {}

    /** Writes {@code bitwarden_export.json} with one note into {@code inbox} (made if missing); returns the folder. */
    public static Path writeInto(Path inbox) throws IOException {
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("bitwarden_export.json"), """
                {"encrypted": false, "folders": [], "items": [{"id": "5b3c1a2d-0000-4000-8000-000000000001", "type": 2,
                 "name": "note", "notes": "hello", "secureNote": {"type": 0}, "favorite": false, "reprompt": 0}]}
                """);
        return inbox;
    }
}
