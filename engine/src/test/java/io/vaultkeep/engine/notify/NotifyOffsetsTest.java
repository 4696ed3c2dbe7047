package io.vaultkeep.engine.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.engine.persistence.JournalSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier's place in the journal, in a real H2 journal database. */
class NotifyOffsetsTest {

    @TempDir
    Path temp;

    private String url() {
        return "jdbc:h2:file:" + temp.resolve("journal") + ";WRITE_DELAY=0";
    }

    private void journal(Connection connection, String persistenceId, long events) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", "
                + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", "
                + "\"event_ser_manifest\") VALUES (?, ?, 'w', 0, '', X'00', 1, '')")) {
            for (long n = 1; n <= events; n++) {
                insert.setString(1, persistenceId);
                insert.setLong(2, n);
                insert.executeUpdate();
            }
        }
    }

    @Test
    void theFirstPlaceIsTheNewestEventSoThePastIsNotToldAndItIsKept() throws Exception {
        try (Connection connection = JournalSchema.connect(url(), "sa", "")) {
            JournalSchema.create(connection, JournalSchema.Dialect.H2);
            journal(connection, "account|alice", 3);
        }
        try (NotifyOffsets offsets = NotifyOffsets.open(url(), "sa", "")) {
            assertEquals(3, offsets.offset());
        }
        try (Connection connection = JournalSchema.connect(url(), "sa", "")) {
            journal(connection, "account|bob", 1);
        }
        try (NotifyOffsets offsets = NotifyOffsets.open(url(), "sa", "")) {
            assertEquals(3, offsets.offset(), "stored at the first start: bob's later event is still to be told");
        }
    }

    @Test
    void aCommitStoresThePlaceAndTheAccountsStateTogether() throws Exception {
        try (Connection connection = JournalSchema.connect(url(), "sa", "")) {
            JournalSchema.create(connection, JournalSchema.Dialect.H2);
        }
        try (NotifyOffsets offsets = NotifyOffsets.open(url(), "sa", "")) {
            assertEquals(0, offsets.offset());
            offsets.commit(7, "alice", NotifyState.stored(2, true, "WRONG_PASSWORD"));
            offsets.commit(9, "alice", NotifyState.stored(3, true, "WRONG_PASSWORD"));
            offsets.commit(11, "bob", NotifyState.FRESH);
        }
        try (NotifyOffsets offsets = NotifyOffsets.open(url(), "sa", "")) {
            assertEquals(11, offsets.offset());
            assertEquals(Map.of("alice", NotifyState.stored(3, true, "WRONG_PASSWORD"), "bob", NotifyState.FRESH), offsets.states());
        }
    }

    @Test
    void onPostgresqlThePlaceStartsAtTheNewestEventAndIsKept() throws Exception {
        String url = io.vaultkeep.engine.persistence.TestPostgres.url();
        long newest;
        try (Connection connection = JournalSchema.connect(url, null, null)) {
            JournalSchema.create(connection, JournalSchema.Dialect.POSTGRES);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + NotifyOffsets.OFFSET_TABLE);
                statement.execute("DROP TABLE IF EXISTS " + NotifyOffsets.STATE_TABLE);
                try (java.sql.ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(ordering), 0) FROM event_journal")) {
                    row.next();
                    newest = row.getLong(1);
                }
            }
        }
        try (NotifyOffsets offsets = NotifyOffsets.open(url, null, null)) {
            assertEquals(newest, offsets.offset());
            offsets.commit(newest + 5, "alice", NotifyState.stored(1, false, "LOCATION_UNAVAILABLE"));
        }
        try (NotifyOffsets offsets = NotifyOffsets.open(url, null, null)) {
            assertEquals(newest + 5, offsets.offset());
            assertEquals(Map.of("alice", NotifyState.stored(1, false, "LOCATION_UNAVAILABLE")), offsets.states());
        }
    }
}
