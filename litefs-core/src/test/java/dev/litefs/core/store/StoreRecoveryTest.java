package dev.litefs.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every startup recovery path, with real files: a crash leaves a data directory behind, the store is
 * reopened, and it either recovers to a consistent position or refuses naming the file, TXID and
 * checksums.
 */
class StoreRecoveryTest {
  @TempDir Path dataDir;
  Store store;
  Database db;
  byte[] afterTx2;
  LtxFileInfo tx3;

  @BeforeEach
  void threeTransactions() throws IOException {
    store = Store.open(StoreOptions.defaults(dataDir));
    db = store.createDatabase("app.db");
    SqlWriter.commit(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    SqlWriter.commit(db, "INSERT INTO t(v) VALUES('one')");
    afterTx2 = Files.readAllBytes(db.databaseFile());
    tx3 = SqlWriter.commit(db, "INSERT INTO t(v) VALUES('two')");
    store.close();
  }

  @AfterEach
  void close() {
    store.close();
  }

  Database reopen() throws IOException {
    store.close();
    store = Store.open(StoreOptions.defaults(dataDir));
    return store.database("app.db").orElseThrow();
  }

  Path ltx(long txid) {
    return db.history().path(LtxFileName.of(Txid.of(txid)));
  }

  String count(Database d) throws IOException {
    return SqlWriter.query(d.databaseFile(), "SELECT count(*) FROM t");
  }

  String integrity(Database d) throws IOException {
    return SqlWriter.query(d.databaseFile(), "PRAGMA integrity_check");
  }

  @Test
  void aCleanStopReopensAtTheSamePosition() throws IOException {
    Database d = reopen();
    assertThat(d.pos()).isEqualTo(tx3.postApplyPos());
    assertThat(count(d)).isEqualTo("2");
  }

  @Test
  void anIncompleteLtxWriteIsDiscarded() throws IOException {
    Path tmp = db.history().dir().resolve("0000000000000004-0000000000000004.ltx.tmp");
    Files.write(tmp, new byte[] {1, 2, 3});
    Database d = reopen();
    assertThat(tmp).doesNotExist();
    assertThat(d.pos()).isEqualTo(tx3.postApplyPos());
  }

  @Test
  void aTruncatedLastLtxWhoseTransactionNeverReachedTheDatabaseIsSetAside() throws IOException {
    Files.write(db.databaseFile(), afterTx2);
    truncate(ltx(3), 50);
    Database d = reopen();
    assertThat(d.pos().txid()).isEqualTo(Txid.of(2));
    assertThat(ltx(3)).doesNotExist();
    assertThat(db.history().dir().resolve("0000000000000003-0000000000000003.ltx.corrupt")).exists();
    assertThat(count(d)).isEqualTo("1");
    assertThat(integrity(d)).isEqualTo("ok");
  }

  @Test
  void aTruncatedLastLtxWhoseTransactionIsInTheDatabaseRefusesToStart() throws IOException {
    truncate(ltx(3), 50);
    assertThatThrownBy(this::reopen)
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining("app.db")
        .hasMessageContaining(ltx(3).toString())
        .hasMessageContaining("TXID 0000000000000003")
        .hasMessageContaining("unexpected end of file");
    assertThat(ltx(3)).exists();
  }

  @Test
  void aCorruptedByteInTheLastLtxRefusesToStartNamingBothChecksums() throws IOException {
    Path dir = Files.createTempDirectory(dataDir, "raw");
    StoreOptions raw = StoreOptions.defaults(dir).withCompress(false);
    LtxFileInfo last;
    Path file;
    try (Store s = Store.open(raw)) {
      Database d = s.createDatabase("raw.db");
      SqlWriter.commit(d, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
      last = SqlWriter.commit(d, "INSERT INTO t(v) VALUES('one')");
      file = d.history().path(LtxFileName.of(Txid.of(2)));
    }
    corruptByte(file, 100 + 4 + 3000);
    assertThatThrownBy(() -> Store.open(raw).close())
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining("raw.db")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("TXID 0000000000000002")
        .hasMessageContaining("file checksum mismatch: trailer has " + last.trailer().fileChecksum() + ", computed ")
        .hasMessageContaining("database checksum " + last.trailer().postApplyChecksum());
  }

  @Test
  void aCorruptedByteInACompressedLtxIsCaughtByTheLz4ContentChecksum() throws IOException {
    corruptByte(ltx(3), 100 + 20);
    assertThatThrownBy(this::reopen)
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining(ltx(3).toString())
        .hasMessageContaining("TXID 0000000000000003")
        .hasMessageContaining("LZ4");
  }

  @Test
  void aCorruptedDatabasePageThatTheLastTransactionWroteIsRepaired() throws IOException {
    // Page 2 holds the table's rows, so every insert rewrote it.
    corruptByte(db.databaseFile(), 4096 + 200);
    Database d = reopen();
    assertThat(d.pos()).isEqualTo(tx3.postApplyPos());
    assertThat(integrity(d)).isEqualTo("ok");
    assertThat(count(d)).isEqualTo("2");
  }

  @Test
  void aCorruptedDatabasePageOutsideTheLastTransactionRefusesToStart() throws IOException {
    // Page 1's header bytes 60-63 (schema cookie region) are not rewritten by an insert... but page 1 is
    // rewritten by every commit (the change counter). Grow the database so that some page is untouched.
    Database d = reopen();
    SqlWriter.commit(d, "CREATE TABLE big(v BLOB)", "INSERT INTO big VALUES(zeroblob(40000))");
    LtxFileInfo last = SqlWriter.commit(d, "INSERT INTO t(v) VALUES('three')");
    store.close();
    corruptByte(d.databaseFile(), 5L * 4096 + 100);
    assertThatThrownBy(this::reopen)
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining("recover ltx")
        .hasMessageContaining("on TXID " + last.header().maxTxid())
        .hasMessageContaining("does not match LTX post-apply checksum " + last.trailer().postApplyChecksum());
  }

  @Test
  void aDatabaseShorterThanItsLastCommitIsRepairedFromTheLastLtx() throws IOException {
    truncate(db.databaseFile(), 4096);
    Database d = reopen();
    assertThat(d.pos()).isEqualTo(tx3.postApplyPos());
    assertThat(Files.size(d.databaseFile())).isEqualTo(2 * 4096);
    assertThat(count(d)).isEqualTo("2");
    assertThat(integrity(d)).isEqualTo("ok");
  }

  @Test
  void aMissingLastLtxWithTheDatabaseAtThePreviousPositionContinuesFromIt() throws IOException {
    // The process died after SQLite wrote nothing durable and before the LTX file was written.
    Files.write(db.databaseFile(), afterTx2);
    Files.delete(ltx(3));
    Database d = reopen();
    assertThat(d.pos().txid()).isEqualTo(Txid.of(2));
    assertThat(count(d)).isEqualTo("1");
  }

  @Test
  void aTransactionWithoutAnLtxIsUndoneWhenTheLastRecordedOneRewritesItsPages() throws IOException {
    // The LTX file is the commit point, so a transaction whose file is missing was never acknowledged.
    // Re-applying transaction 2 rewrites pages 1 and 2, the only pages transaction 3 changed.
    Files.delete(ltx(3));
    Database d = reopen();
    assertThat(d.pos().txid()).isEqualTo(Txid.of(2));
    assertThat(d.pos().postApplyChecksum()).isEqualTo(tx3.header().preApplyChecksum());
    assertThat(count(d)).isEqualTo("1");
    assertThat(integrity(d)).isEqualTo("ok");
  }

  @Test
  void aDatabaseWithoutHistoryStartsOneWithASnapshot() throws IOException {
    for (LtxFileName n : db.history().list()) {
      Files.delete(db.history().path(n));
    }
    Database d = reopen();
    assertThat(d.pos().txid()).isEqualTo(Txid.of(1));
    assertThat(d.pos().postApplyChecksum()).isEqualTo(tx3.trailer().postApplyChecksum());
    assertThat(d.ltxFiles()).containsExactly(LtxFileName.of(Txid.of(1)));
    SqlWriter.commit(d, "INSERT INTO t(v) VALUES('three')");
    assertThat(d.pos().txid()).isEqualTo(Txid.of(2));
  }

  @Test
  void aHotJournalLeftByACrashMidTransactionIsRolledBack() throws Exception {
    Path crashed = Files.createTempDirectory(dataDir, "crash");
    runUntilSpilled(db.databaseFile(), crashed);
    Files.copy(crashed.resolve("database"), db.databaseFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(crashed.resolve("database-journal"), db.journalFile());

    Database d = reopen();
    assertThat(db.journalFile()).doesNotExist();
    assertThat(d.pos()).isEqualTo(tx3.postApplyPos());
    assertThat(integrity(d)).isEqualTo("ok");
    assertThat(count(d)).isEqualTo("2");
  }

  @Test
  void aHotJournalLeftAfterTheLtxWasRecordedFinishesTheTransaction() throws Exception {
    // The LTX file is the commit point: the crash came after it was written, before SQLite deleted the
    // journal. Recovery rolls the journal back, then re-applies the recorded transaction.
    Path crashed = Files.createTempDirectory(dataDir, "crash");
    runUntilSpilled(db.databaseFile(), crashed);
    Database d = reopen();
    LtxFileInfo tx4 = SqlWriter.commit(d, "INSERT INTO t(v) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<300) SELECT 'x' || i || hex(zeroblob(250)) FROM c");
    store.close();
    Files.copy(crashed.resolve("database-journal"), db.journalFile());

    d = reopen();
    assertThat(d.pos()).isEqualTo(tx4.postApplyPos());
    assertThat(integrity(d)).isEqualTo("ok");
    assertThat(count(d)).isEqualTo("302");
  }

  /**
   * Starts a large transaction with a tiny page cache so SQLite spills pages into the database file
   * before committing, then copies the database and its hot journal mid-transaction: what a crash leaves.
   */
  private void runUntilSpilled(Path dbFile, Path copyTo) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=DELETE");
      s.execute("PRAGMA cache_size=2");
      c.setAutoCommit(false);
      s.execute("INSERT INTO t(v) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<300) SELECT 'x' || i || hex(zeroblob(250)) FROM c");
      Path journal = dbFile.resolveSibling(dbFile.getFileName() + "-journal");
      byte[] magic = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63, (byte) 0xd7};
      assertThat(java.util.Arrays.copyOf(Files.readAllBytes(journal), 8))
          .as("the journal is hot: SQLite synced its header before spilling pages").isEqualTo(magic);
      Files.copy(dbFile, copyTo.resolve("database"));
      Files.copy(journal, copyTo.resolve("database-journal"));
      c.rollback();
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void corruptByte(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0xff);
    }
  }
}
