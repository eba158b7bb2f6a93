package dev.litefs.core.store;

import dev.litefs.core.ltx.Pos;
import dev.litefs.core.sqlite.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The committed content of a database as SQLite sees it: each page from the WAL's last committed frame for
 * it when there is one, else from the database file. The position, page size and page count are taken when
 * it is opened, as are the offsets of the WAL's committed frames; frames appended later are not read. The
 * caller holds whatever locks keep a commit from being in flight while it opens and keep the database file
 * and those frames from changing until it is closed (the mount's read session does), or has it hold the
 * database's lock for its lifetime.
 */
final class CommittedPages implements DatabaseFileWriter.ReadSession {
  private final Pos position;
  private final int pageSize;
  private final int pageCount;
  private final FileChannel db;
  private final FileChannel wal;
  private final Map<Integer, Long> frames = new HashMap<>();
  private final ReentrantLock held;
  private static final int BLOCK_BYTES = 256 * 1024;
  private ByteBuffer block;
  private long blockStart;

  /**
   * @param useWal whether committed pages may be in the WAL: {@code false} once SQLite has checkpointed
   *     every frame, when a writer may start overwriting the WAL from its beginning
   * @param held a lock the caller has taken, released on {@link #close()} (or if opening fails), or null
   */
  CommittedPages(Database database, boolean useWal, ReentrantLock held) throws IOException {
    this.held = held;
    try {
      this.pageSize = database.pageSize();
      this.pageCount = database.pageCount();
      this.position = database.pos();
      this.db = FileChannel.open(database.databaseFile(), StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
    FileChannel w = null;
    try {
      if (useWal && Files.exists(database.walFile())) {
        w = FileChannel.open(database.walFile(), StandardOpenOption.READ);
        WalReader r = WalReader.open(w);
        if (r != null) {
          Map<Integer, Long> pending = new HashMap<>();
          byte[] page = new byte[r.header().pageSize()];
          for (WalReader.Frame f; (f = r.next(page)) != null; ) {
            pending.put(f.pgno(), f.offset() + WalReader.FRAME_HEADER_SIZE);
            if (f.isCommit()) {
              frames.putAll(pending);
              pending.clear();
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      db.close();
      if (w != null) {
        w.close();
      }
      release();
      throw e;
    }
    this.wal = w;
  }

  @Override
  public Pos position() {
    return position;
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public int pageCount() {
    return pageCount;
  }

  @Override
  public void readPage(int pgno, byte[] dst) throws IOException {
    Long off = frames.get(pgno);
    if (off == null) {
      readFromDatabase(pgno, dst);
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(dst);
    while (b.hasRemaining()) {
      if (wal.read(b, off + b.position()) < 0) {
        throw new IOException("page " + pgno + " is past the end of the WAL");
      }
    }
  }

  /**
   * Reads a page of the database file through a block of {@link #BLOCK_BYTES}, so reading every page in
   * order (a snapshot) costs one read per block rather than one per page. The file does not change while
   * the session is open, so the block stays right.
   */
  private void readFromDatabase(int pgno, byte[] dst) throws IOException {
    long pos = (long) (pgno - 1) * dst.length;
    if (block == null) {
      block = ByteBuffer.allocate(Math.max(BLOCK_BYTES, dst.length)).limit(0);
    }
    if (pos < blockStart || pos + dst.length > blockStart + block.limit()) {
      block.clear();
      blockStart = pos;
      while (block.hasRemaining() && db.read(block, blockStart + block.position()) >= 0) {
        // until the block is full or the file ends
      }
      block.flip();
      if (pos + dst.length > blockStart + block.limit()) {
        throw new IOException("page " + pgno + " is past the end of the database file");
      }
    }
    block.get((int) (pos - blockStart), dst, 0, dst.length);
  }

  @Override
  public java.util.Set<Integer> walPages() {
    return java.util.Set.copyOf(frames.keySet());
  }

  @Override
  public void close() throws IOException {
    try {
      db.close();
      if (wal != null) {
        wal.close();
      }
    } finally {
      release();
    }
  }

  private void release() {
    if (held != null && held.isHeldByCurrentThread()) {
      held.unlock();
    }
  }
}
