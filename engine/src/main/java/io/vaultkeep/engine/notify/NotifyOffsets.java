package io.vaultkeep.engine.notify;

import io.vaultkeep.engine.persistence.JournalSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The notifier's place in the journal and its per-account state, in two small tables of the
 * journal's own database, written together in one transaction after a journal event's notices are
 * all delivered or given up: a crash before that delivers them again (at least once), never loses
 * them. Plain JDBC with IF NOT EXISTS, as {@link io.vaultkeep.engine.persistence.JournalSchema}.
 */
public final class NotifyOffsets implements AutoCloseable {

    /** The journal's ordering of the last event done, per notifier. */
    static final String OFFSET_TABLE = "vaultkeep_notify_offset";
    static final String STATE_TABLE = "vaultkeep_notify_account";
    /** A host's notifier; the name leaves room for others (a cluster's, say). */
    static final String NOTIFIER = "host";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private Connection connection;

    private NotifyOffsets(String jdbcUrl, String user, String password) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.connection = JournalSchema.connect(jdbcUrl, user, password);
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + OFFSET_TABLE
                    + " (notifier VARCHAR(64) PRIMARY KEY, ordering BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + STATE_TABLE
                    + " (notifier VARCHAR(64) NOT NULL, account_id VARCHAR(255) NOT NULL, failures INTEGER NOT NULL,"
                    + " attention BOOLEAN NOT NULL, last_kind VARCHAR(64), PRIMARY KEY (notifier, account_id))");
        }
    }

    /** Connects to the journal's database and creates the tables when missing. */
    public static NotifyOffsets open(String jdbcUrl, String user, String password) throws SQLException {
        return new NotifyOffsets(jdbcUrl, user, password);
    }

    /**
     * The ordering of the last journal event done. The first time (no place stored yet) it is the
     * journal's newest event, stored at once: a host that ran without notifications does not tell
     * its past when they are turned on, and what is journaled from now on is told even after a crash.
     */
    public synchronized long offset() throws SQLException {
        reconnectIfLost();
        try (PreparedStatement query = connection.prepareStatement("SELECT ordering FROM " + OFFSET_TABLE + " WHERE notifier = ?")) {
            query.setString(1, NOTIFIER);
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    return row.getLong(1);
                }
            }
        }
        long newest;
        try (Statement statement = connection.createStatement();
             // quoted: the plugin's H2 tables have lower-case names
             ResultSet row = statement.executeQuery("SELECT MAX(\"ordering\") FROM \"event_journal\"")) {
            newest = row.next() ? row.getLong(1) : 0L;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + OFFSET_TABLE + " (ordering, notifier) VALUES (?, ?)")) {
            insert.setLong(1, newest);
            insert.setString(2, NOTIFIER);
            insert.executeUpdate();
        }
        return newest;
    }

    public synchronized Map<String, NotifyState> states() throws SQLException {
        reconnectIfLost();
        Map<String, NotifyState> states = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT account_id, failures, attention, last_kind FROM " + STATE_TABLE + " WHERE notifier = ?")) {
            query.setString(1, NOTIFIER);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    states.put(row.getString(1), NotifyState.stored(row.getInt(2), row.getBoolean(3), row.getString(4)));
                }
            }
        }
        return states;
    }

    /** Marks the event at {@code ordering} done, with its account's state after it: both or neither. */
    public synchronized void commit(long ordering, String accountId, NotifyState state) throws SQLException {
        connection.setAutoCommit(false);
        try {
            upsert("UPDATE " + STATE_TABLE + " SET failures = ?, attention = ?, last_kind = ? WHERE notifier = ? AND account_id = ?",
                    "INSERT INTO " + STATE_TABLE + " (failures, attention, last_kind, notifier, account_id) VALUES (?, ?, ?, ?, ?)",
                    statement -> {
                        statement.setInt(1, state.failures());
                        statement.setBoolean(2, state.attention());
                        statement.setString(3, state.lastKind());
                        statement.setString(4, NOTIFIER);
                        statement.setString(5, accountId);
                    });
            upsert("UPDATE " + OFFSET_TABLE + " SET ordering = ? WHERE notifier = ?",
                    "INSERT INTO " + OFFSET_TABLE + " (ordering, notifier) VALUES (?, ?)",
                    statement -> {
                        statement.setLong(1, ordering);
                        statement.setString(2, NOTIFIER);
                    });
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** A database restarted (PostgreSQL) drops the connection: the notifier's restart opens a new one. */
    private void reconnectIfLost() throws SQLException {
        if (connection.isClosed() || !connection.isValid(5)) {
            try {
                connection.close();
            } catch (SQLException alreadyGone) {
                // nothing to release
            }
            connection = JournalSchema.connect(jdbcUrl, user, password);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** UPDATE, or INSERT when no row was there: portable across H2 and PostgreSQL. */
    private void upsert(String update, String insert, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            binder.bind(statement);
            if (statement.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            binder.bind(statement);
            statement.executeUpdate();
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
