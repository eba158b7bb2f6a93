package dev.litefs.core.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.testing.Await;
import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LiteFS's single-node scenarios (reference §8.2) through a real mount served by a {@code litefs mount}
 * process, with real SQLite clients, in every journal mode. After each: integrity_check is ok, the TXID
 * advanced exactly once per write transaction, and the database's checksum equals the position.
 */
class SingleNodeIT {
  @TempDir Path tmp;
  MountedNode node;

  @BeforeEach
  void mount() throws IOException {
    node = MountedNode.primary(tmp.resolve("node"));
  }

  @AfterEach
  void unmount() throws IOException {
    node.close();
  }

  /** TXIDs the journal-mode switch itself takes: WAL mode is entered by one rollback-journal transaction. */
  static int modeTxids(String mode) {
    return mode.equals("wal") ? 1 : 0;
  }

  Pos pos(String db) throws IOException {
    return Pos.parse(Files.readString(node.path(db + "-pos")).trim());
  }

  /** integrity_check, checksum of the database file (after a checkpoint) equals the position. */
  void assertConsistent(String db, String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path(db), mode)) {
      assertThat(Sqlite.query(c, "PRAGMA integrity_check")).isEqualTo("ok");
      if (mode.equals("wal")) {
        assertThat(Sqlite.query(c, "PRAGMA wal_checkpoint(TRUNCATE)")).isEqualTo("0");
      }
    }
    Checksum actual;
    try (FileChannel ch = FileChannel.open(node.path(db), StandardOpenOption.READ)) {
      actual = PageChecksums.database(ch, 4096, ch.size() / 4096);
    }
    assertThat(actual).as("checksum of %s", db).isEqualTo(pos(db).postApplyChecksum());
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void eachWriteTransactionIsOneTxidAndSurvivesReconnects(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
      assertThat(pos("db").txid().value()).isEqualTo(1 + modeTxids(mode));
      Sqlite.exec(c, "INSERT INTO t(v) VALUES (100)");
      assertThat(pos("db").txid().value()).isEqualTo(2 + modeTxids(mode));
    }
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "INSERT INTO t(v) VALUES (200)");
      assertThat(Sqlite.query(c, "SELECT group_concat(v) FROM t")).isEqualTo("100,200");
    }
    assertThat(pos("db").txid().value()).isEqualTo(3 + modeTxids(mode));
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void rollbacksAndEmptyTransactionsRecordNothing(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
      Pos before = pos("db");
      Sqlite.exec(c, "BEGIN", "INSERT INTO t(v) VALUES ('gone')", "ROLLBACK");
      Sqlite.exec(c, "BEGIN IMMEDIATE", "COMMIT");
      Sqlite.exec(c, "PRAGMA cache_size=2", "BEGIN");
      for (int i = 0; i < 100; i++) {
        Sqlite.exec(c, "INSERT INTO t(v) VALUES (hex(randomblob(250)))");
      }
      Sqlite.exec(c, "ROLLBACK");
      assertThat(pos("db")).isEqualTo(before);
      assertThat(Sqlite.query(c, "SELECT count(*) FROM t")).isEqualTo("0");
      Sqlite.exec(c, "BEGIN IMMEDIATE", "INSERT INTO t(v) VALUES ('kept')", "COMMIT");
      assertThat(pos("db").txid().value()).isEqualTo(before.txid().value() + 1);
    }
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void largeTransactionsThatSpillPagesAreOneTxid(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "PRAGMA cache_size=10", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
      long start = pos("db").txid().value();
      Sqlite.exec(c, "BEGIN");
      for (int i = 0; i < 1000; i++) {
        Sqlite.exec(c, "INSERT INTO t(v) VALUES (hex(randomblob(500)))");
      }
      Sqlite.exec(c, "COMMIT");
      Sqlite.exec(c, "UPDATE t SET v = hex(randomblob(400))");
      assertThat(pos("db").txid().value()).isEqualTo(start + 2);
      Sqlite.exec(c, "DELETE FROM t", "VACUUM");
      assertThat(Sqlite.query(c, "SELECT count(*) FROM t")).isEqualTo("0");
    }
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void theDirectoryListsWhatLiteFsLists(String mode) throws Exception {
    for (String db : List.of("db0", "db1")) {
      try (Connection c = Sqlite.connect(node.path(db), mode)) {
        Sqlite.exec(c, "CREATE TABLE t(x)");
      }
    }
    try (Connection c = Sqlite.connect(node.path("db0"), mode)) {
      Sqlite.exec(c, "INSERT INTO t VALUES (1)");
      List<String> expected = switch (mode) {
        case "wal" -> List.of(".lag", "db0", "db0-pos", "db0-shm", "db0-wal", "db1", "db1-pos");
        case "persist", "truncate" -> List.of(".lag", "db0", "db0-journal", "db0-pos", "db1", "db1-journal", "db1-pos");
        default -> List.of(".lag", "db0", "db0-pos", "db1", "db1-pos");
      };
      assertThat(Sqlite.cli("-bail", ":memory:", ".shell ls -a " + node.mount()).out().lines()
          .filter(l -> !l.equals(".") && !l.equals("..")).toList()).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "wal"})
  void thePosFileChangesAfterEachCommitEvenThroughAnOpenHandle(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode);
        FileChannel pos = FileChannel.open(node.path("db-pos"), StandardOpenOption.READ)) {
      Sqlite.exec(c, "CREATE TABLE t(x)");
      String first = read(pos);
      Sqlite.exec(c, "INSERT INTO t VALUES (1)");
      String second = read(pos);
      assertThat(first).hasSize(34).endsWith("\n");
      assertThat(Pos.parse(second.trim()).txid().value()).isEqualTo(Pos.parse(first.trim()).txid().value() + 1);
      assertThat(Files.size(node.path("db-pos"))).isEqualTo(34);
    }
  }

  private static String read(FileChannel ch) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
    ch.read(b, 0);
    return new String(b.array(), 0, b.position());
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void aWriterWaitsForAnOpenReadTransactionWithBusyTimeout(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "INSERT INTO t VALUES (100)");
    }
    try (Connection reader = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(reader, "BEGIN");
      assertThat(Sqlite.query(reader, "SELECT sum(v) FROM t")).isEqualTo("100");
      Sqlite.Result writer;
      Process p = new ProcessBuilder("python3", "-c",
          "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=20, isolation_level=None);"
              + "c.execute('PRAGMA journal_mode=" + mode + "'); c.execute('INSERT INTO t VALUES (200)'); print('done')",
          node.path("db").toString()).redirectErrorStream(true).start();
      if (!mode.equals("wal")) {
        assertThat(p.isAlive()).as("the writer waits while the read transaction holds SHARED").isTrue();
      }
      Sqlite.exec(reader, "ROLLBACK");
      writer = new Sqlite.Result(p.waitFor(), new String(p.getInputStream().readAllBytes()), "");
      assertThat(writer.code()).as(writer.out()).isZero();
      assertThat(Sqlite.query(reader, "SELECT sum(v) FROM t")).isEqualTo("300");
    }
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "truncate", "persist", "wal"})
  void severalProcessesWritingAtOnceCommitEveryTransaction(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, who TEXT, n INTEGER)");
    }
    long start = pos("db").txid().value();
    String py = "import sqlite3,sys\n"
        + "c=sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)\n"
        + "c.execute('PRAGMA journal_mode=" + mode + "')\n"
        + "for i in range(50): c.execute('INSERT INTO t(who,n) VALUES (?,?)', ('py'+sys.argv[2], i))\n";
    List<Process> writers = List.of(Sqlite.startPython(py, node.path("db").toString(), "1"),
        Sqlite.startPython(py, node.path("db").toString(), "2"));
    StringBuilder cliSql = new StringBuilder(".timeout 30000\n");
    for (int i = 0; i < 50; i++) {
      cliSql.append("INSERT INTO t(who,n) VALUES ('cli',").append(i).append(");\n");
    }
    Path script = tmp.resolve("cli.sql");
    Files.writeString(script, cliSql);
    Sqlite.Result cli = Sqlite.cli(node.path("db").toString(), ".read " + script);
    assertThat(cli.code()).as(cli.err()).isZero();
    for (Process w : writers) {
      assertThat(w.waitFor()).as(new String(w.getErrorStream().readAllBytes())).isZero();
    }
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      assertThat(Sqlite.query(c, "SELECT count(*) FROM t")).isEqualTo("150");
    }
    assertThat(pos("db").txid().value()).isEqualTo(start + 150);
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "wal"})
  void checkpointsKeepWorking(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "INSERT INTO t VALUES (100)");
      for (String kind : List.of("PASSIVE", "FULL", "RESTART", "TRUNCATE")) {
        Sqlite.exec(c, "PRAGMA wal_checkpoint(" + kind + ")", "INSERT INTO t VALUES (50)");
      }
      assertThat(Sqlite.query(c, "SELECT sum(v) FROM t")).isEqualTo("300");
    }
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "wal"})
  void removingADatabaseRecordsItsDeletionAndTheNameCanBeReused(String mode) throws Exception {
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "INSERT INTO t VALUES (1)");
    }
    long before = pos("db").txid().value();
    Files.delete(node.path("db"));
    assertThat(node.path("db")).doesNotExist();
    assertThat(node.path("db-wal")).doesNotExist();
    assertThat(Files.readString(node.path("db-pos"))).isEqualTo(String.format("%016x/8000000000000000%n", before + 1));
    try (Connection c = Sqlite.connect(node.path("db"), mode)) {
      Sqlite.exec(c, "CREATE TABLE other(v)");
    }
    assertThat(pos("db").txid().value()).isEqualTo(before + 2 + modeTxids(mode));
    assertConsistent("db", mode);
  }

  @ParameterizedTest
  @ValueSource(strings = {"delete", "wal"})
  void theLagOfAPrimaryIsZero(String mode) throws Exception {
    assertThat(Files.readString(node.path(".lag"))).isEqualTo("+000000000\n");
    assertThat(node.path(".primary")).doesNotExist();
    Await.until("statfs works", Duration.ofSeconds(5), () -> Files.getFileStore(node.mount()).getTotalSpace() > 0);
  }
}
