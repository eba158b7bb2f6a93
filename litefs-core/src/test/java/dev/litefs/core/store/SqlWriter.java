package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs real SQLite transactions (sqlite-jdbc, rollback-journal mode) on a store's database file and records
 * each as the engine will: the pages whose bytes changed, and the new page count. Stands in for the FUSE
 * layer's page tracking in store tests.
 */
final class SqlWriter {
  private SqlWriter() {}

  /** Runs {@code sql} (one transaction) on {@code db}'s file and records it. */
  static LtxFileInfo commit(Database db, String... sql) throws IOException {
    Path file = db.databaseFile();
    byte[] before = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    exec(file, sql);
    byte[] after = Files.readAllBytes(file);
    int pageSize = pageSize(after);
    List<Transaction.Page> pages = new ArrayList<>();
    int commit = after.length / pageSize;
    for (int pgno = 1; pgno <= commit; pgno++) {
      int off = (pgno - 1) * pageSize;
      byte[] page = Arrays.copyOfRange(after, off, off + pageSize);
      boolean same = off + pageSize <= before.length
          && Arrays.equals(before, off, off + pageSize, after, off, off + pageSize);
      if (!same) {
        pages.add(new Transaction.Page(pgno, page));
      }
    }
    return db.commit(new Transaction(pageSize, commit, pages, System.currentTimeMillis(), null));
  }

  /** Runs statements in one transaction (autocommit for a single one) on a database file, in DELETE mode. */
  static void exec(Path file, String... sql) throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=DELETE");
      }
      c.setAutoCommit(sql.length == 1);
      try (Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      }
      if (sql.length > 1) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }

  /** Returns the single value of a query. */
  static String query(Path file, String sql) throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }

  static int pageSize(byte[] db) {
    int raw = ((db[16] & 0xff) << 8) | (db[17] & 0xff);
    return raw == 1 ? 65536 : raw;
  }
}
