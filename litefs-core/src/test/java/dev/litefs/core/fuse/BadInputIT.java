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

/** Bad input gets a clear errno and leaves the database and its position intact. */
class BadInputIT {
  @TempDir static Path tmp;
  static MountedNode node;
  static String pos;

  @BeforeAll
  static void start() throws Exception {
    node = MountedNode.primary(tmp.resolve("node"));
    try (Connection c = Sqlite.connect(node.path("db"), "delete")) {
      Sqlite.exec(c, "CREATE TABLE t(v)", "INSERT INTO t VALUES (1)");
    }
    pos = Files.readString(node.path("db-pos"));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static void assertIntact() throws Exception {
    assertThat(Files.readString(node.path("db-pos"))).isEqualTo(pos);
    assertThat(Sqlite.cli(node.path("db").toString(), "PRAGMA integrity_check; SELECT sum(v) FROM t").out())
        .isEqualTo("ok\n1\n");
  }

  static Sqlite.Result python(String code) throws Exception {
    return Sqlite.python("import os,sys,errno\n"
        + "try:\n  " + code.replace("\n", "\n  ") + "\n  print('ok')\n"
        + "except OSError as e:\n  print(errno.errorcode[e.errno])\n", node.mount().toString());
  }

  @Test
  void aDatabaseWriteThatIsNotWholePagesIsInvalid() throws Exception {
    assertThat(python("fd=os.open(sys.argv[1]+'/db', os.O_RDWR)\nos.pwrite(fd, b'x'*100, 4096+10)").out().trim())
        .isEqualTo("EINVAL");
    assertIntact();
  }

  @Test
  void writesWithoutAJournalAreRefused() throws Exception {
    for (String mode : new String[] {"memory", "off"}) {
      Sqlite.Result r = Sqlite.cli(node.path("db").toString(), "PRAGMA journal_mode=" + mode + "; INSERT INTO t VALUES (5)");
      assertThat(r.code()).as(mode).isNotZero();
      assertThat(r.err()).as(mode).contains("disk I/O error");
    }
    assertIntact();
    assertThat(node.log()).contains("journal_mode=MEMORY or OFF");
  }

  @Test
  void directoriesAreNotPermitted() throws Exception {
    assertThat(python("os.mkdir(sys.argv[1]+'/sub')").out().trim()).isEqualTo("EPERM");
    assertIntact();
  }

  @Test
  void unknownAndVirtualNamesGetErrnos() throws Exception {
    assertThat(python("open(sys.argv[1]+'/nope.db-pos').read()").out().trim()).isEqualTo("ENOENT");
    assertThat(python("open(sys.argv[1]+'/nope.db').read()").out().trim()).isEqualTo("ENOENT");
    assertThat(python("open(sys.argv[1]+'/x-pos', 'w')").out().trim()).isEqualTo("ENOSYS");
    assertThat(python("fd=os.open(sys.argv[1]+'/db-pos', os.O_WRONLY)\nos.write(fd, b'x')").out().trim()).isEqualTo("EIO");
    assertThat(python("open(sys.argv[1]+'/db-pos', 'w')").out().trim()).isEqualTo("EACCES");
    assertThat(python("os.unlink(sys.argv[1]+'/db-pos')").out().trim()).isEqualTo("EACCES");
    assertThat(python("os.rename(sys.argv[1]+'/db', sys.argv[1]+'/db2')").out().trim()).isEqualTo("EPERM");
    assertThat(python("open(sys.argv[1]+'/a/b', 'w')").out().trim()).isEqualTo("ENOENT");
    assertIntact();
  }

  @Test
  void truncatingADatabaseOutsideATransactionIsRefused() throws Exception {
    assertThat(python("open(sys.argv[1]+'/db', 'w')").out().trim()).isEqualTo("EPERM");
    assertThat(python("os.truncate(sys.argv[1]+'/db', 4096)").out().trim()).isEqualTo("EPERM");
    assertIntact();
  }
}
