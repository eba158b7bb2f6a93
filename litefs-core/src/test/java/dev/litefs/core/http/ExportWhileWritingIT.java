package dev.litefs.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.MountedNode;
import dev.litefs.core.testing.Sqlite;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LiteFS's {@code ConcurrentWriteAndSnapshot}: in WAL mode, reading a consistent copy of the database (an
 * export here; a replica's snapshot opens the same read session) keeps checkpoints from finishing but not
 * writers, new connections included, and the copy is the database as it was when the read began.
 */
class ExportWhileWritingIT {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path tmp;
  MountedNode node;

  @BeforeEach
  void start() throws Exception {
    node = MountedNode.primary(tmp.resolve("p"));
    Sqlite.Result init = Sqlite.cli(node.path("db").toString(),
        "PRAGMA journal_mode=wal; CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
    assertThat(init.code()).as(init.err()).isZero();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  HttpResponse<InputStream> export() throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/export?name=db")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    return r;
  }

  /** Writes the rest of an export to a file and returns {@code integrity_check}, row count and max(v). */
  String[] finish(HttpResponse<InputStream> r, byte[] head, String name) throws Exception {
    Path copy = tmp.resolve(name);
    try (InputStream in = r.body(); var out = Files.newOutputStream(copy)) {
      out.write(head);
      in.transferTo(out);
    }
    Sqlite.Result check = Sqlite.cli(copy.toString(), "PRAGMA integrity_check; SELECT count(*), coalesce(max(v), 0) FROM t;");
    assertThat(check.code()).as(check.err()).isZero();
    Files.delete(copy);
    String[] lines = check.out().trim().split("\n");
    String[] countAndMax = lines[1].split("\\|");
    return new String[] {lines[0], countAndMax[0], countAndMax[1]};
  }

  @Test
  void aClientWithoutBusyTimeoutCommitsWhileAnExportIsInProgress() throws Exception {
    // 40 MB: more than the socket and server buffers hold, so the export stays open while we do not read.
    Sqlite.Result fill = Sqlite.cli(node.path("db").toString(), "CREATE TABLE big(b); WITH RECURSIVE n(i) AS "
        + "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO big SELECT randomblob(4000) FROM n;"
        + "INSERT INTO t(v) VALUES (1);");
    assertThat(fill.code()).as(fill.err()).isZero();

    HttpResponse<InputStream> r = export();
    byte[] head = r.body().readNBytes(4096);
    Sqlite.Result write = Sqlite.python("import sqlite3,sys\n"
        + "c=sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
        + "for i in range(2, 12): c.execute('INSERT INTO t(v) VALUES (?)', (i,))\n"
        + "print(c.execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchone()[0])\n", node.path("db").toString());
    assertThat(write.code()).as(write.err()).isZero();
    assertThat(write.out().trim()).as("a checkpoint is refused while the export reads (busy = 1)").isEqualTo("1");

    assertThat(finish(r, head, "paused.db")).containsExactly("ok", "1", "1");
    assertThat(Sqlite.cli(node.path("db").toString(), "PRAGMA wal_checkpoint(TRUNCATE); SELECT count(*) FROM t").out())
        .as("once the export is done, checkpoints run").startsWith("0|").endsWith("11\n");
  }

  @Test
  void exportsTakenWhileAClientCommitsAndCheckpointsAreEachAnIntactCommit() throws Exception {
    Process writer = Sqlite.startPython("import sqlite3,sys\n"
        + "c=sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)\n"
        + "c.execute('PRAGMA wal_autocheckpoint=4')\n"
        + "for i in range(1, 301): c.execute('INSERT INTO t(v) VALUES (?)', (i,))\n", node.path("db").toString());
    long lastCount = 0;
    int exports = 0;
    do {
      String[] state = finish(export(), new byte[0], "export.db");
      assertThat(state[0]).as("export %d", ++exports).isEqualTo("ok");
      assertThat(state[2]).as("rows 1..n, no gaps").isEqualTo(state[1]);
      long count = Long.parseLong(state[1]);
      assertThat(count).as("exports never go back").isGreaterThanOrEqualTo(lastCount);
      lastCount = count;
    } while (writer.isAlive());

    assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.exitValue()).as(new String(writer.getErrorStream().readAllBytes())).isZero();
    assertThat(exports).isGreaterThan(1);
    assertThat(finish(export(), new byte[0], "final.db")).containsExactly("ok", "300", "300");
  }
}
