package dev.litefs.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real SQLite clients: sqlite-jdbc in this JVM, and the sqlite3 CLI and Python's sqlite3 as processes. */
public final class Sqlite {
  private Sqlite() {}

  /** Opens a sqlite-jdbc connection in autocommit mode with the given journal mode and a busy timeout. */
  public static Connection connect(Path db, String journalMode) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA journal_mode=" + journalMode);
    }
    return c;
  }

  /** Runs statements on {@code c}. */
  public static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** The first column of the first row of {@code sql}. */
  public static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** What a process printed and how it exited. */
  public record Result(int code, String out, String err) {}

  /** Runs the sqlite3 CLI with {@code args}. */
  public static Result cli(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("sqlite3"));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Runs a Python script (its text) with {@code args} available as sys.argv[1:]. */
  public static Result python(String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Starts a Python script without waiting for it. */
  public static Process startPython(String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("python3", "-u", "-c", script));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  /** Runs any command. */
  public static Result run(String... cmd) throws IOException {
    return run(List.of(cmd));
  }

  static Result run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).start();
    java.util.concurrent.CompletableFuture<byte[]> errBytes = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return p.getErrorStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    try {
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = errBytes.join();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + cmd);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
