package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.ltx.Checksum;
import dev.litefs.core.ltx.LtxApplier;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording transactions, reopening, snapshots and names, on real SQLite files. */
class StoreTest {
  @TempDir Path dataDir;
  Store store;

  Store open() throws IOException {
    if (store != null) {
      store.close();
    }
    store = Store.open(StoreOptions.defaults(dataDir));
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static Checksum fileChecksum(Path db) throws IOException {
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      return PageChecksums.database(ch, 4096, ch.size() / 4096);
    }
  }

  @Test
  void eachTransactionIsOneLtxFileAndThePositionIsTheDatabaseChecksum() throws IOException {
    Database db = open().createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('a')");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('b')", "INSERT INTO t(v) VALUES('c')");

    assertThat(db.pos().txid()).isEqualTo(Txid.of(3));
    assertThat(db.pos().postApplyChecksum()).isEqualTo(fileChecksum(db.databaseFile()));
    assertThat(db.checksum()).isEqualTo(db.pos().postApplyChecksum());
    assertThat(db.ltxFiles()).extracting(LtxFileName::toString).containsExactly(
        "0000000000000001-0000000000000001.ltx", "0000000000000002-0000000000000002.ltx",
        "0000000000000003-0000000000000003.ltx");
  }

  @Test
  void replayingTheHistoryReproducesTheDatabase() throws IOException {
    Database db = open().createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES(randomblob(20000))");
    SqlWriter.commit(db, "DELETE FROM t");
    SqlWriter.commit(db, "VACUUM");

    List<Path> files = new ArrayList<>();
    for (LtxFileName n : db.ltxFiles()) {
      files.add(db.history().path(n));
    }
    Path replica = dataDir.resolve("replayed.db");
    Pos pos = LtxApplier.apply(replica, files);

    assertThat(pos).isEqualTo(db.pos());
    assertThat(Files.readAllBytes(replica)).isEqualTo(Files.readAllBytes(db.databaseFile()));
  }

  @Test
  void reopeningRestoresPositionAndContinuesTheTxidSequence() throws IOException {
    Database db = open().createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('a')");
    Pos before = db.pos();

    Database again = open().database("app.db").orElseThrow();
    assertThat(again.pos()).isEqualTo(before);
    SqlWriter.commit(again, "INSERT INTO t(v) VALUES('b')");
    assertThat(again.pos().txid()).isEqualTo(Txid.of(3));
    assertThat(SqlWriter.query(again.databaseFile(), "SELECT count(*) FROM t")).isEqualTo("2");
  }

  @Test
  void aSnapshotAppliedElsewhereReproducesTheDatabase() throws IOException {
    Database db = open().createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('a')");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LtxFileInfo info = db.writeSnapshot(out);
    assertThat(info.header().minTxid()).isEqualTo(Txid.of(1));
    assertThat(info.header().maxTxid()).isEqualTo(Txid.of(2));
    Path snapshot = dataDir.resolve("snap.ltx");
    Files.write(snapshot, out.toByteArray());
    Path copy = dataDir.resolve("copy.db");
    assertThat(LtxApplier.apply(copy, List.of(snapshot))).isEqualTo(db.pos());
    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(db.databaseFile()));
  }

  @Test
  void theClusterIdIsStoredAsLiteFsWritesIt() throws IOException {
    open();
    assertThat(store.clusterId()).isEmpty();
    ClusterId id = ClusterId.generate();
    store.setClusterId(id);
    assertThat(Files.readString(dataDir.resolve("clusterid"))).isEqualTo(id.value() + "\n").hasSize(21);
    assertThat(open().clusterId()).contains(id);
  }

  @Test
  void databaseNamesThatAreNotPlainFileNamesAreRefused() throws IOException {
    open();
    for (String bad : List.of("", "../etc", "a/b", ".hidden", "x-wal", "x-journal", "x-shm", "x-pos", "x-lock", "a\nb")) {
      assertThatThrownBy(() -> store.createDatabase(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.createDatabase("my app.db").name()).isEqualTo("my app.db");
  }
}
