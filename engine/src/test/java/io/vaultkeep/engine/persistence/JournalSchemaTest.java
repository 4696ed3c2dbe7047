package io.vaultkeep.engine.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSchemaTest {

    @TempDir
    Path dir;

    @Test
    void createsThePluginsTablesOnH2AndRunsAgainHarmlessly() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DB_CLOSE_ON_EXIT=FALSE";
        JournalSchema.create(url, "vaultkeep", "");
        try (Connection c = DriverManager.getConnection(url, "vaultkeep", "")) {
            c.createStatement().execute("INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", "
                    + "\"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") "
                    + "VALUES ('account|a', 1, 'w', 0, '', X'00', 1, 'm')");
        }
        JournalSchema.create(url, "vaultkeep", ""); // every start runs it again

        try (Connection c = DriverManager.getConnection(url, "vaultkeep", "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertEquals(List.of("event_journal", "event_tag", "snapshot"), tables);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "existing rows survive a second run");
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'event_journal_ordering_idx'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    /** On the throwaway PostgreSQL that scripts/run-tests starts (VAULTKEEP_TEST_POSTGRES_URL). */
    @Test
    void createsThePluginsTablesOnPostgresqlAndRunsAgainHarmlessly() throws Exception {
        String url = TestPostgres.url();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("DROP TABLE IF EXISTS event_tag, snapshot, event_journal");
        }
        JournalSchema.create(url, null, null);
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("INSERT INTO event_journal (persistence_id, sequence_number, writer, "
                    + "write_timestamp, adapter_manifest, event_payload, event_ser_id, event_ser_manifest) "
                    + "VALUES ('account|a', 1, 'w', 0, '', '\\x00', 1, 'm')");
        }
        JournalSchema.create(url, null, null);
        try (Connection c = DriverManager.getConnection(url)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_name IN ('event_journal', 'event_tag', 'snapshot') ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertEquals(List.of("event_journal", "event_tag", "snapshot"), tables);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM event_journal")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'event_journal_ordering_idx'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void everyStatementIsConditionalSoItCanRunAtEveryStart() {
        for (JournalSchema.Dialect dialect : JournalSchema.Dialect.values()) {
            for (String ddl : JournalSchema.statements(dialect)) {
                assertTrue(ddl.contains("IF NOT EXISTS"), dialect + ": " + ddl);
                assertTrue(!ddl.contains("CONCURRENTLY"), dialect + " needs no autocommit-only statements: " + ddl);
            }
        }
        assertEquals(JournalSchema.Dialect.POSTGRES, JournalSchema.Dialect.ofUrl("jdbc:postgresql://127.0.0.1:5432/vk"));
        assertThrows(IllegalArgumentException.class, () -> JournalSchema.Dialect.ofUrl("jdbc:mysql://x/y"));
    }
}
