package dev.litefs.core.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.litefs.core.ltx.Txid;
import dev.litefs.core.sqlite.WalReader;
import dev.litefs.core.store.CommitRefusedException;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction SQLite wrote through the mount that the store refuses to record (the node stopped being primary
 * while it was in flight) fails with EACCES and leaves nothing that could come back: no LTX file, no valid commit
 * frame for SQLite's WAL recovery, and a hot journal handed to the engine to roll back. Real SQLite files, fed to
 * the mount's commit paths write by write as SQLite writes them; no FUSE needed.
 */
class RefusedCommitTest {
  @TempDir Path tmp;
  Store store;
  Database db;
  final AtomicBoolean primary = new AtomicBoolean(true);
  final AtomicInteger rollbacksRequested = new AtomicInteger();
  MountedDatabase mounted;

  @BeforeEach
  void open() throws IOException {
    store = Store.open(StoreOptions.defaults(tmp.resolve("data")));
    store.setCommitGate(d -> {
      if (!primary.get()) {
        throw new CommitRefusedException("database " + d.name() + ": not primary");
      }
    });
    db = store.createDatabase("db");
    mounted = new MountedDatabase(db, rollbacksRequested::incrementAndGet);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Puts a real database in place and writes its real WAL's header through the mount; returns that WAL. */
  byte[] startWithRealWalHeader() throws Exception {
    byte[][] real = realWal();
    Files.write(db.databaseFile(), real[0]);
    writeWal(0, Arrays.copyOf(real[1], 32));
    mounted.afterWalWrite(0, 32);
    return real[1];
  }

  /** A real WAL-mode database: the file after switching to WAL, and a WAL with three transactions. */
  byte[][] realWal() throws Exception {
    Path real = tmp.resolve("real.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + real); Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA wal_autocheckpoint=0");
      st.execute("CREATE TABLE t(v)");
      st.execute("INSERT INTO t VALUES (1)");
      st.execute("INSERT INTO t VALUES (2)");
      return new byte[][] {Files.readAllBytes(real), Files.readAllBytes(tmp.resolve("real.db-wal"))};
    }
  }

  /** Writes {@code b} at {@code off} of the WAL's backing file, as the mount passes a write through. */
  void writeWal(long off, byte[] b) throws IOException {
    try (FileChannel ch = FileChannel.open(db.walFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(b);
      while (buf.hasRemaining()) {
        ch.write(buf, off + buf.position());
      }
    }
  }

  static long count(Path dbFile) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
      return rs.getLong(1);
    }
  }

  @Test
  void aRefusedWalCommitFailsWithEaccesAndNoWalRecoveryBringsItBack() throws Exception {
    byte[] wal = startWithRealWalHeader();
    int ps = ByteBuffer.wrap(wal).getInt(8);
    int frames = (wal.length - 32) / (24 + ps);
    MountException refused = null;
    for (int i = 0; i < frames; i++) {
      long off = 32 + (long) i * (24 + ps);
      writeWal(off, Arrays.copyOfRange(wal, (int) off, (int) off + 24));
      mounted.afterWalWrite(off, 24);
      if (i == frames - 1) {
        primary.set(false); // the node steps down while SQLite writes the last transaction's commit frame
      }
      writeWal(off + 24, Arrays.copyOfRange(wal, (int) off + 24, (int) off + 24 + ps));
      try {
        mounted.afterWalWrite(off + 24, ps);
      } catch (MountException e) {
        refused = e;
      }
    }
    assertThat(refused).as("the last commit is refused").isNotNull();
    assertThat(refused.errno).isEqualTo(Errno.EACCES);
    assertThat(db.pos().txid()).as("CREATE TABLE and the first INSERT recorded, not the second").isEqualTo(Txid.of(2));
    assertThat(db.ltxFiles()).hasSize(2);
    assertThat(rollbacksRequested).hasValue(0);

    // What SQLite's recovery finds after a crash, or when the last connection reopens the database.
    Path copy = Files.createDirectories(tmp.resolve("after")).resolve("copy.db");
    Files.copy(db.databaseFile(), copy);
    Files.copy(db.walFile(), copy.resolveSibling("copy.db-wal"));
    assertThat(count(copy)).as("rows SQLite recovers from the WAL").isEqualTo(1);
    try (FileChannel ch = FileChannel.open(db.walFile(), StandardOpenOption.READ)) {
      WalReader r = WalReader.open(ch);
      int commits = 0;
      byte[] page = new byte[ps];
      for (WalReader.Frame f; (f = r.next(page)) != null; ) {
        commits += f.isCommit() ? 1 : 0;
      }
      assertThat(commits).as("valid commit frames left for our own recovery").isEqualTo(2);
    }
  }

  @Test
  void aRefusedWalCommitIsTrackedAgainWhenSqliteWritesItsNextTransactionThere() throws Exception {
    byte[] wal = startWithRealWalHeader();
    int ps = ByteBuffer.wrap(wal).getInt(8);
    int frames = (wal.length - 32) / (24 + ps);
    for (int i = 0; i < frames; i++) {
      long off = 32 + (long) i * (24 + ps);
      writeWal(off, Arrays.copyOfRange(wal, (int) off, (int) off + 24));
      mounted.afterWalWrite(off, 24);
      primary.set(i < frames - 1);
      writeWal(off + 24, Arrays.copyOfRange(wal, (int) off + 24, (int) off + 24 + ps));
      if (i < frames - 1) {
        mounted.afterWalWrite(off + 24, ps);
      } else {
        long at = off + 24;
        assertThatThrownBy(() -> mounted.afterWalWrite(at, ps)).isInstanceOf(MountException.class);
        // Primary again: SQLite retries the same transaction over the same frames.
        primary.set(true);
        writeWal(off, Arrays.copyOfRange(wal, (int) off, (int) off + 24));
        mounted.afterWalWrite(off, 24);
        writeWal(off + 24, Arrays.copyOfRange(wal, (int) off + 24, (int) off + 24 + ps));
        mounted.afterWalWrite(off + 24, ps);
      }
    }
    assertThat(db.pos().txid()).isEqualTo(Txid.of(3));
  }

  @Test
  void aRefusedJournalCommitFailsWithEaccesRecordsNothingAndAsksForARollback() throws Exception {
    Path real = tmp.resolve("real.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + real); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t(v)");
    }
    byte[] page1 = Arrays.copyOf(Files.readAllBytes(real), 4096);
    Files.write(db.databaseFile(), Files.readAllBytes(real));
    // A transaction: the journal header becomes valid, a page is written, then the commit (the journal's unlink).
    byte[] magic = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63, (byte) 0xd7};
    mounted.afterJournalWrite(0, Arrays.copyOf(magic, 28));
    mounted.checkDatabaseWrite(0, 4096, page1);
    mounted.afterDatabaseWrite(0, 4096, page1);
    Files.write(db.databaseFile(), changed(Files.readAllBytes(real)));
    primary.set(false);
    assertThatThrownBy(mounted::commitJournal).isInstanceOfSatisfying(MountException.class,
        e -> assertThat(e.errno).isEqualTo(Errno.EACCES));
    assertThat(db.pos().txid()).isEqualTo(Txid.ZERO);
    assertThat(db.ltxFiles()).isEmpty();
    assertThat(rollbacksRequested).as("the engine is asked to roll the hot journal back").hasValue(1);
  }

  @Test
  void aWriteRefusedInsideAJournalTransactionAsksForARollbackOnce() throws Exception {
    byte[] magic = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63, (byte) 0xd7};
    mounted.journalAbandoned(true);
    assertThat(rollbacksRequested).as("no journal transaction open").hasValue(0);
    mounted.afterJournalWrite(0, Arrays.copyOf(magic, 28));
    mounted.journalAbandoned(true);
    mounted.journalAbandoned(true);
    assertThat(rollbacksRequested).hasValue(1);
  }

  /** The same file with page 1's change counter bumped, as a commit would leave it. */
  static byte[] changed(byte[] file) {
    byte[] b = file.clone();
    ByteBuffer.wrap(b).putInt(24, ByteBuffer.wrap(b).getInt(24) + 1);
    return b;
  }
}
