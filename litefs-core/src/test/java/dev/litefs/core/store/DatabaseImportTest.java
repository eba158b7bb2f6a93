package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code litefs import} at the store: real SQLite files, and a database larger than the importing JVM's heap. */
class DatabaseImportTest {
  @TempDir Path dir;
  Store store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void anImportIsOneTransactionWhoseDatabaseIsTheSourceWithPageOnesCountersZeroed() throws Exception {
    Path source = build(dir.resolve("source.db"), 3);
    store = Store.open(StoreOptions.defaults(dir.resolve("data")));
    Database db = store.createDatabase("app.db");

    LtxFileInfo info = db.importFrom(source);

    assertThat(info.header().minTxid()).isEqualTo(Txid.of(1));
    assertThat(db.pos()).isEqualTo(info.postApplyPos());
    assertThat(db.pos().postApplyChecksum()).isEqualTo(StoreTest.fileChecksum(db.databaseFile()));
    byte[] expected = Files.readAllBytes(source);
    ByteBuffer.wrap(expected).putInt(24, 0).putInt(40, 0);
    assertThat(Files.readAllBytes(db.databaseFile())).isEqualTo(expected);
    try (InputStream in = Files.newInputStream(db.history().path(LtxFileName.of(Txid.of(1))))) {
      assertThat(LtxDecoder.verify(in, "import").trailer()).isEqualTo(info.trailer());
    }
  }

  @Test
  void anImportOverADatabaseFollowsItsPositionAndReplacesEveryPage() throws Exception {
    store = Store.open(StoreOptions.defaults(dir.resolve("data")));
    Database db = store.createDatabase("app.db");
    db.importFrom(build(dir.resolve("first.db"), 4));
    var before = db.pos();

    LtxFileInfo info = db.importFrom(build(dir.resolve("second.db"), 2));

    assertThat(info.header().minTxid()).isEqualTo(Txid.of(2));
    assertThat(info.header().preApplyChecksum()).isEqualTo(before.postApplyChecksum());
    assertThat(Files.size(db.databaseFile())).isEqualTo(Files.size(dir.resolve("second.db")));
    assertThat(db.pos().postApplyChecksum()).isEqualTo(StoreTest.fileChecksum(db.databaseFile()));
    store.close();
    store = Store.open(StoreOptions.defaults(dir.resolve("data")));
    assertThat(store.database("app.db").orElseThrow().pos()).isEqualTo(info.postApplyPos());
  }

  /**
   * A 96 MiB database imported by a JVM limited to 32 MiB of heap: the import holds a block of pages and the
   * page checksums, not the pages. (Holding them, as the import once did, runs out of memory here.)
   */
  @Test
  void aDatabaseLargerThanTheHeapIsImported() throws Exception {
    Path source = build(dir.resolve("big.db"), 96);
    Path data = dir.resolve("data");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-cp", System.getProperty("java.class.path"), ImportMain.class.getName(), data.toString(),
        source.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
        .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();

    store = Store.open(StoreOptions.defaults(data));
    Database db = store.database("big.db").orElseThrow();
    assertThat(db.pos().txid()).isEqualTo(Txid.of(1));
    assertThat(Files.size(db.databaseFile())).isEqualTo(Files.size(source));
    assertThat(db.pos().postApplyChecksum()).isEqualTo(StoreTest.fileChecksum(db.databaseFile()));
  }

  /** Imports {@code args[1]} as {@code big.db} into a store at {@code args[0]}, in the child JVM. */
  static final class ImportMain {
    public static void main(String[] args) throws IOException {
      try (Store s = Store.open(StoreOptions.defaults(Path.of(args[0])))) {
        s.createDatabase("big.db").importFrom(Path.of(args[1]));
      }
    }
  }

  /** A SQLite database of at least {@code mib} MiB of random 1 MB blobs, 4 KiB pages. */
  static Path build(Path file, int mib) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA page_size=4096");
      s.execute("PRAGMA journal_mode=OFF");
      s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
      s.execute("INSERT INTO t(b) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
          + (mib * 1048576L / 1000000 + 1) + ") SELECT randomblob(1000000) FROM c");
    }
    return file;
  }
}
