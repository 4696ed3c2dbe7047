package io.vaultkeep.engine.persistence;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The tables pekko-persistence-jdbc needs (event_journal, event_tag, snapshot), created over plain
 * JDBC before the actor system starts. Idempotent: every statement is IF NOT EXISTS, so it runs at
 * every start. The scripts shipped with the plugin cannot be used for this: their index statements
 * fail when run twice (and PostgreSQL's need autocommit outside a transaction).
 */
public final class JournalSchema {

    public enum Dialect {
        H2, POSTGRES;

        public static Dialect ofUrl(String jdbcUrl) {
            if (jdbcUrl.startsWith("jdbc:h2:")) {
                return H2;
            }
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                return POSTGRES;
            }
            throw new IllegalArgumentException("unsupported journal database (H2 or PostgreSQL): " + jdbcUrl.replaceAll("[?;].*", ""));
        }
    }

    // column names and types as pekko-persistence-jdbc 1.1.1 expects them (its schema/h2 script)
    private static final List<String> H2 = List.of("""
            CREATE TABLE IF NOT EXISTS PUBLIC."event_journal" (
                "ordering" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,
                "deleted" BOOLEAN DEFAULT false NOT NULL,
                "persistence_id" VARCHAR(255) NOT NULL,
                "sequence_number" BIGINT NOT NULL,
                "writer" VARCHAR NOT NULL,
                "write_timestamp" BIGINT NOT NULL,
                "adapter_manifest" VARCHAR NOT NULL,
                "event_payload" BLOB NOT NULL,
                "event_ser_id" INTEGER NOT NULL,
                "event_ser_manifest" VARCHAR NOT NULL,
                "meta_payload" BLOB,
                "meta_ser_id" INTEGER,
                "meta_ser_manifest" VARCHAR,
                PRIMARY KEY("persistence_id", "sequence_number"))""",
            """
            CREATE UNIQUE INDEX IF NOT EXISTS "event_journal_ordering_idx" ON PUBLIC."event_journal" ("ordering")""",
            """
            CREATE TABLE IF NOT EXISTS PUBLIC."event_tag" (
                "event_id" BIGINT NOT NULL,
                "tag" VARCHAR NOT NULL,
                PRIMARY KEY("event_id", "tag"),
                CONSTRAINT "fk_event_journal" FOREIGN KEY("event_id") REFERENCES PUBLIC."event_journal"("ordering") ON DELETE CASCADE)""",
            """
            CREATE TABLE IF NOT EXISTS PUBLIC."snapshot" (
                "persistence_id" VARCHAR(255) NOT NULL,
                "sequence_number" BIGINT NOT NULL,
                "created" BIGINT NOT NULL,
                "snapshot_ser_id" INTEGER NOT NULL,
                "snapshot_ser_manifest" VARCHAR NOT NULL,
                "snapshot_payload" BLOB NOT NULL,
                "meta_ser_id" INTEGER,
                "meta_ser_manifest" VARCHAR,
                "meta_payload" BLOB,
                PRIMARY KEY("persistence_id", "sequence_number"))""");

    // as the plugin's schema/postgres script, with IF NOT EXISTS and without CONCURRENTLY
    private static final List<String> POSTGRES = List.of("""
            CREATE TABLE IF NOT EXISTS public.event_journal (
                ordering BIGSERIAL,
                persistence_id VARCHAR(255) NOT NULL,
                sequence_number BIGINT NOT NULL,
                deleted BOOLEAN DEFAULT FALSE NOT NULL,
                writer VARCHAR(255) NOT NULL,
                write_timestamp BIGINT,
                adapter_manifest VARCHAR(255),
                event_ser_id INTEGER NOT NULL,
                event_ser_manifest VARCHAR(255) NOT NULL,
                event_payload BYTEA NOT NULL,
                meta_ser_id INTEGER,
                meta_ser_manifest VARCHAR(255),
                meta_payload BYTEA,
                PRIMARY KEY(persistence_id, sequence_number))""",
            """
            CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON public.event_journal(ordering)""",
            """
            CREATE TABLE IF NOT EXISTS public.event_tag (
                event_id BIGINT,
                tag VARCHAR(256),
                PRIMARY KEY(event_id, tag),
                CONSTRAINT fk_event_journal FOREIGN KEY(event_id) REFERENCES public.event_journal(ordering) ON DELETE CASCADE)""",
            """
            CREATE TABLE IF NOT EXISTS public.snapshot (
                persistence_id VARCHAR(255) NOT NULL,
                sequence_number BIGINT NOT NULL,
                created BIGINT NOT NULL,
                snapshot_ser_id INTEGER NOT NULL,
                snapshot_ser_manifest VARCHAR(255) NOT NULL,
                snapshot_payload BYTEA NOT NULL,
                meta_ser_id INTEGER,
                meta_ser_manifest VARCHAR(255),
                meta_payload BYTEA,
                PRIMARY KEY(persistence_id, sequence_number))""");

    /** PostgreSQL's unique_violation: two nodes creating the same table at once. */
    private static final String UNIQUE_VIOLATION = "23505";

    private JournalSchema() {}

    public static List<String> statements(Dialect dialect) {
        return dialect == Dialect.H2 ? H2 : POSTGRES;
    }

    /** Connects and creates whatever is missing. */
    public static void create(String jdbcUrl, String user, String password) throws SQLException {
        try (Connection connection = connect(jdbcUrl, user, password)) {
            create(connection, Dialect.ofUrl(jdbcUrl));
        }
    }

    /** A plain JDBC connection to the journal's database (user and password may be null). */
    public static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Properties login = new Properties();
        if (user != null) {
            login.setProperty("user", user);
        }
        if (password != null) {
            login.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, login);
    }

    public static void create(Connection connection, Dialect dialect) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            for (String ddl : statements(dialect)) {
                try {
                    statement.execute(ddl);
                } catch (SQLException raced) {
                    if (!UNIQUE_VIOLATION.equals(raced.getSQLState())) {
                        throw raced;
                    }
                    statement.execute(ddl); // the other node won; now it exists
                }
            }
        }
    }

    /**
     * Creates the tables for the journal an actor system config names, when that journal is
     * pekko-persistence-jdbc on its shared "slick" database; does nothing for any other journal.
     *
     * @return whether a schema was ensured
     */
    public static boolean ensure(Config pekkoConfig) throws SQLException {
        String sharedDb = "pekko-persistence-jdbc.shared-databases.slick.db";
        if (!"jdbc-journal".equals(pekkoConfig.getString("pekko.persistence.journal.plugin"))
                || !pekkoConfig.hasPath("jdbc-journal.use-shared-db")
                || !"slick".equals(pekkoConfig.getString("jdbc-journal.use-shared-db"))
                || !pekkoConfig.hasPath(sharedDb + ".url")) {
            return false;
        }
        Config db = pekkoConfig.getConfig(sharedDb);
        create(db.getString("url"), db.hasPath("user") ? db.getString("user") : null,
                db.hasPath("password") ? db.getString("password") : null);
        return true;
    }
}
