package dev.litefs.core.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica refuses clients' writes as LiteFS does (the errors SQLite and the shell show are the ones captured
 * from LiteFS in vectors/misc), while reads, including WAL-mode reads that need -shm, work.
 */
class ReadOnlyReplicaIT {
  @TempDir static Path tmp;
  static MountedNode replica;

  @BeforeAll
  static void primaryThenReplica() throws Exception {
    Path dir = tmp.resolve("node");
    try (MountedNode primary = MountedNode.primary(dir)) {
      try (Connection c = Sqlite.connect(primary.path("delete.db"), "delete")) {
        Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('row-1')");
      }
      try (Connection c = Sqlite.connect(primary.path("wal.db"), "wal")) {
        Sqlite.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('row-1')");
      }
    }
    Files.delete(dir.resolve("litefs.yml"));
    Files.delete(dir.resolve("litefs.log"));
    replica = MountedNode.replica(dir, "node1");
  }

  @AfterAll
  static void stop() throws Exception {
    replica.close();
  }

  @Test
  void writingARollbackModeDatabaseIsAReadonlyError() throws Exception {
    Sqlite.Result r = Sqlite.cli(replica.path("delete.db").toString(), "INSERT INTO t(v) VALUES('on-replica')");
    assertThat(r.code()).isEqualTo(8);
    assertThat(r.err()).contains("attempt to write a readonly database (8)");
  }

  @Test
  void writingAWalModeDatabaseIsADiskIoError() throws Exception {
    Sqlite.Result r = Sqlite.cli(replica.path("wal.db").toString(), "INSERT INTO t(v) VALUES('on-replica')");
    assertThat(r.code()).isEqualTo(10);
    assertThat(r.err()).contains("disk I/O error (10)");
  }

  @Test
  void creatingADatabaseIsAReadonlyErrorOnItsFirstWrite() throws Exception {
    Sqlite.Result r = Sqlite.cli(replica.path("new.db").toString(), "CREATE TABLE x(a)");
    assertThat(r.code()).isEqualTo(8);
    assertThat(r.err()).contains("attempt to write a readonly database (8)");
  }

  @Test
  void readsWorkInBothModes() throws Exception {
    assertThat(Sqlite.cli(replica.path("delete.db").toString(), "SELECT v FROM t").out()).isEqualTo("row-1\n");
    assertThat(Sqlite.cli(replica.path("wal.db").toString(), "SELECT v FROM t").out()).isEqualTo("row-1\n");
    Sqlite.Result py = Sqlite.python("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
        + "print(c.execute('select count(*) from t').fetchone()[0])", replica.path("wal.db").toString());
    assertThat(py.out().trim()).as(py.err()).isEqualTo("1");
  }

  @Test
  void removingADatabaseOrCreatingAJournalIsPermissionDenied() throws Exception {
    Sqlite.Result rm = Sqlite.run("rm", replica.path("delete.db").toString());
    assertThat(rm.err()).contains("Permission denied");
    Sqlite.Result touch = Sqlite.run("touch", replica.path("delete.db-journal").toString());
    assertThat(touch.err()).contains("Permission denied");
    assertThat(replica.path("delete.db")).exists();
  }

  @Test
  void theReplicaShowsItHasNoPrimaryAndNoSync() throws Exception {
    assertThat(replica.path(".primary")).doesNotExist();
    assertThat(Files.readString(replica.path(".lag"))).isEqualTo("+2147483647\n");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(replica.path("delete.db"))))
        .isEqualTo("r--r--r--");
  }
}
