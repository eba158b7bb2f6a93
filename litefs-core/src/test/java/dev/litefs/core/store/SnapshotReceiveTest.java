package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.PageChecksums;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot too large for memory, received by a replica's stream: into a new database file built while it
 * is received when the replica has none, else applied over the database it has. Real files, real SQLite.
 */
class SnapshotReceiveTest {
  @TempDir Path dir;
  private final List<Store> stores = new ArrayList<>();
  private byte[] snapshot;
  private Pos primaryPos;
  private byte[] primaryDatabase;

  @BeforeEach
  void writeSnapshot() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Store s = Store.open(StoreOptions.defaults(dir.resolve("primary")))) {
      Database p = s.createDatabase("big.db");
      SqlWriter.commit(p, "CREATE TABLE t(b BLOB)");
      SqlWriter.commit(p, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500) "
          + "INSERT INTO t SELECT randomblob(4000) FROM c");
      p.writeSnapshot(out);
      primaryPos = p.pos();
      primaryDatabase = Files.readAllBytes(p.databaseFile());
    }
    snapshot = out.toByteArray();
    assertThat(snapshot.length).isGreaterThan(ReceivedLtx.MEMORY_LIMIT);
  }

  @AfterEach
  void closeStores() {
    stores.forEach(Store::close);
  }

  @Test
  void aReplicaWithoutADatabaseGetsThePrimarysFileAndNoTemporaryFileIsLeft() throws IOException {
    Database db = open().createDatabase("big.db");

    db.receiveFromPrimary(new ByteArrayInputStream(snapshot), "snapshot");

    assertThat(db.pos()).isEqualTo(primaryPos);
    assertThat(db.checksum()).isEqualTo(primaryPos.postApplyChecksum());
    assertThat(Files.readAllBytes(db.databaseFile())).isEqualTo(primaryDatabase);
    assertThat(db.ltxFiles()).containsExactly(new LtxFileName(Txid.of(1), primaryPos.txid()));
    assertThat(temporaryFiles(db)).isEmpty();
  }

  @Test
  void aTruncatedSnapshotForANewReplicaIsRefusedAndLeavesNoDatabase() throws IOException {
    Database db = open().createDatabase("big.db");
    byte[] cut = Arrays.copyOf(snapshot, snapshot.length / 2);

    assertThatThrownBy(() -> db.receiveFromPrimary(new ByteArrayInputStream(cut), "snapshot"))
        .isInstanceOf(LtxException.class)
        .hasMessageContaining("big.db")
        .hasMessageMatching(".*(unexpected end of file|ended prematurely).*");
    assertThat(db.pos()).isEqualTo(Pos.ZERO);
    assertThat(db.databaseFile()).doesNotExist();
    assertThat(db.ltxFiles()).isEmpty();
    assertThat(temporaryFiles(db)).isEmpty();
  }

  @Test
  void aDamagedSnapshotOverAnExistingDatabaseChangesNothing() throws IOException {
    Database db = open().createDatabase("big.db");
    SqlWriter.commit(db, "CREATE TABLE mine(x)");
    Pos before = db.pos();
    byte[] database = Files.readAllBytes(db.databaseFile());
    byte[] damaged = snapshot.clone();
    damaged[damaged.length - 100] ^= 1;

    assertThatThrownBy(() -> db.receiveFromPrimary(new ByteArrayInputStream(damaged), "snapshot"))
        .isInstanceOf(LtxException.class)
        .hasMessageContaining("big.db");
    assertThat(db.pos()).isEqualTo(before);
    assertThat(Files.readAllBytes(db.databaseFile())).isEqualTo(database);
    assertThat(temporaryFiles(db)).isEmpty();
  }

  @Test
  void aSnapshotOverAnExistingDatabaseReplacesItThroughTheDatabaseFile() throws IOException {
    Database db = open().createDatabase("big.db");
    SqlWriter.commit(db, "CREATE TABLE mine(x)");

    db.receiveFromPrimary(new ByteArrayInputStream(snapshot), "snapshot");

    assertThat(db.pos()).isEqualTo(primaryPos);
    assertThat(Files.readAllBytes(db.databaseFile())).isEqualTo(primaryDatabase);
    assertThat(db.ltxFiles()).containsExactly(new LtxFileName(Txid.of(1), primaryPos.txid()));
    assertThat(temporaryFiles(db)).isEmpty();
  }

  @Test
  void aReplicaKilledAfterItsFirstSnapshotReopensAtTheSnapshot() throws IOException {
    Database db = open().createDatabase("big.db");
    db.receiveFromPrimary(new ByteArrayInputStream(snapshot), "snapshot");

    Database reopened = open().database("big.db").orElseThrow();

    assertThat(reopened.pos()).isEqualTo(primaryPos);
    assertThat(checksumOf(reopened.databaseFile())).isEqualTo(primaryPos.postApplyChecksum());
  }

  /** A power loss that took the new database file's name (never synced) rebuilds it from the stored snapshot. */
  @Test
  void aFirstSnapshotsDatabaseLostToAPowerCutIsRebuiltFromTheHistory() throws IOException {
    Database db = open().createDatabase("big.db");
    db.receiveFromPrimary(new ByteArrayInputStream(snapshot), "snapshot");
    Files.delete(db.databaseFile());

    Database reopened = open().database("big.db").orElseThrow();

    assertThat(reopened.pos()).isEqualTo(primaryPos);
    assertThat(Files.readAllBytes(reopened.databaseFile())).isEqualTo(primaryDatabase);
  }

  private Store open() throws IOException {
    Store s = Store.open(StoreOptions.defaults(dir.resolve("replica")));
    stores.add(s);
    return s;
  }

  private static List<Path> temporaryFiles(Database db) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(db.history().dir())) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(db.history().dir(), "*.tmp")) {
        s.forEach(found::add);
      }
    }
    return found;
  }

  private static dev.litefs.core.ltx.Checksum checksumOf(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return PageChecksums.database(ch, 4096, ch.size() / 4096);
    }
  }
}
