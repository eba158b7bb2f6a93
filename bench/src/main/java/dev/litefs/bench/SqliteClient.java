package dev.litefs.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** sqlite-jdbc connections to files on the mounts; the bench JVM is a client of the engines, never one itself. */
final class SqliteClient {
  private SqliteClient() {}

  /** Opens {@code db}, creating it if needed, in autocommit mode with the journal mode and busy timeout given. */
  static Connection open(Path db, String journalMode, int busyTimeoutMillis) throws SQLException {
    return open(db, journalMode, busyTimeoutMillis, true);
  }

  /**
   * Opens {@code db} in autocommit mode with the journal mode and busy timeout given; unless {@code create}, a
   * missing file is an error (a retrying writer must never create a database in the directory a mount left).
   */
  static Connection open(Path db, String journalMode, int busyTimeoutMillis, boolean create) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    if (!create) {
      config.resetOpenMode(SQLiteOpenMode.CREATE);
    }
    Connection c = config.createConnection("jdbc:sqlite:" + db);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + busyTimeoutMillis);
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=" + journalMode)) {
        String mode = rs.next() ? rs.getString(1) : "";
        if (!mode.equalsIgnoreCase(journalMode)) {
          throw new SQLException("journal_mode=" + journalMode + " on " + db + " gave " + mode);
        }
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Runs statements. */
  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** The first column of the first row of {@code sql} as a long. */
  static long queryLong(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row from " + sql);
      }
      return rs.getLong(1);
    }
  }

  /** The SQLite library version sqlite-jdbc carries. */
  static String version() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
