package dev.litefs.core.fuse;

import dev.litefs.core.store.Database;
import dev.litefs.core.store.DatabaseFileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * One apply: pages written through the mount under the locks taken at open. Consecutive pages are gathered
 * and written with one {@code pwrite} of up to {@link #WRITE_BYTES} (a snapshot's 262,144 pages per GiB
 * become 8,192 writes); every page is written before {@code finish} returns.
 */
final class MountSession implements DatabaseFileWriter.Session {
  private static final Libc C = Libc.INSTANCE;
  private static final Runtime RT = Runtime.getSystemRuntime();
  /** The most bytes gathered for one write: the mount's {@code max_write}. */
  static final int WRITE_BYTES = 128 * 1024;

  private final String path;
  private final Path backing;
  private final int fd;
  private final int shm;
  private final int pageSize;
  private final Pointer pages;
  private final int capacity;
  private final WriteBuffers buffers;
  private final EngineThreads engine;
  /** Keeps the descriptors for the next session instead of closing them, or {@code null}. */
  private final Runnable keep;
  private boolean finished;
  private int firstPgno;
  private int gathered;
  private boolean closed;

  MountSession(String path, Path backing, int fd, int shm, int pageSize, EngineThreads engine, Runnable keep,
      WriteBuffers buffers) {
    this.path = path;
    this.backing = backing;
    this.fd = fd;
    this.shm = shm;
    this.pageSize = pageSize;
    this.capacity = Math.max(1, WRITE_BYTES / pageSize);
    this.buffers = buffers;
    this.pages = buffers.take();
    this.engine = engine;
    this.keep = keep;
  }

  /**
   * With every WAL lock held, nobody reads or writes the WAL: copy its committed pages into the database
   * through the mount, empty it through the mount, and tell open connections (the WAL-index header).
   */
  @Override
  public void checkpoint(Database db) throws IOException {
    if (shm < 0) {
      return;
    }
    engine.registerCurrent();
    // The WAL's frames are about to go: every transaction recorded from them must be durable first (the
    // mount does not sync when the engine empties the WAL).
    db.sync();
    int commit = db.pageCount();
    byte[] data = new byte[pageSize];
    try (DatabaseFileWriter.ReadSession committed = db.committedPages()) {
      for (int pgno : committed.walPages()) {
        if (pgno <= commit) {
          committed.readPage(pgno, data);
          writePage(pgno, data);
        }
      }
    }
    flush();
    if (C.ftruncate(fd, (long) commit * pageSize) != 0 || C.fsync(fd) != 0) {
      throw new IOException("cannot checkpoint " + path + " through the mount: errno " + Libc.errno());
    }
    int wal = C.open(path + "-wal", Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    if (wal >= 0) {
      int r = C.ftruncate(wal, 0);
      C.close(wal);
      if (r != 0) {
        throw new IOException("cannot empty " + path + "-wal through the mount: errno " + Libc.errno());
      }
    }
    rewriteWalIndexHeader(commit);
  }

  @Override
  public void writePage(int pgno, byte[] data) throws IOException {
    if (gathered == capacity || (gathered > 0 && pgno != firstPgno + gathered)) {
      flush();
    }
    if (gathered == 0) {
      firstPgno = pgno;
    }
    pages.put((long) gathered * pageSize, data, 0, pageSize);
    gathered++;
  }

  /** Writes the gathered pages. */
  private void flush() throws IOException {
    if (gathered == 0) {
      return;
    }
    // A session may be used from another thread than the one that opened it (a HALT lock's /tx).
    engine.registerCurrent();
    long len = (long) gathered * pageSize;
    long off = (long) (firstPgno - 1) * pageSize;
    for (long done = 0; done < len; ) {
      long n = C.pwrite(fd, pages.slice(done), len - done, off + done);
      if (n <= 0) {
        throw new IOException("cannot write pages " + firstPgno + "-" + (firstPgno + gathered - 1) + " of " + path
            + " through the mount: errno " + Libc.errno());
      }
      done += n;
    }
    gathered = 0;
  }

  @Override
  public void finish(int commit) throws IOException {
    complete(commit, true);
  }

  @Override
  public void finishUnsynced(int commit) throws IOException {
    complete(commit, false);
  }

  /**
   * Writes what is gathered, sets the size (unless the backing file has it already: one FUSE request less),
   * syncs if asked, and tells open WAL connections.
   */
  private void complete(int commit, boolean sync) throws IOException {
    flush();
    engine.registerCurrent();
    long size = (long) commit * pageSize;
    if (java.nio.file.Files.size(backing) != size && C.ftruncate(fd, size) != 0) {
      throw new IOException("cannot truncate " + path + " to " + commit + " pages: errno " + Libc.errno());
    }
    if (sync && C.fsync(fd) != 0) {
      throw new IOException("cannot sync " + path + ": errno " + Libc.errno());
    }
    if (shm >= 0) {
      rewriteWalIndexHeader(commit);
    }
    finished = true;
  }

  /**
   * Both copies of the WAL-index header: change counter + 1, initialised, no frames, the new page count,
   * a fresh checksum; and the checkpoint info reset (nothing backfilled, read mark 0 in use, others free).
   * Bytes 120-127 are the lock bytes and are not written.
   */
  private void rewriteWalIndexHeader(int commit) throws IOException {
    Pointer p = Memory.allocateDirect(RT, MountWriter.WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO);
    long n = C.pread(shm, p, MountWriter.WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO, 0);
    if (n < MountWriter.WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO) {
      return; // No connection has initialised the -shm yet: whoever does will read the database afresh.
    }
    byte[] h = new byte[MountWriter.WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO];
    p.get(0, h, 0, h.length);
    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.nativeOrder());
    b.putInt(8, b.getInt(8) + 1);
    h[12] = 1;
    b.putInt(16, 0);
    b.putInt(20, commit);
    int s1 = 0;
    int s2 = 0;
    for (int i = 0; i < 40; i += 8) {
      s1 += b.getInt(i) + s2;
      s2 += b.getInt(i + 4) + s1;
    }
    b.putInt(40, s1);
    b.putInt(44, s2);
    System.arraycopy(h, 0, h, MountWriter.WAL_INDEX_HEADER, MountWriter.WAL_INDEX_HEADER);
    b.putInt(96, 0);
    b.putInt(100, 0);
    for (int i = 1; i < 5; i++) {
      b.putInt(100 + 4 * i, 0xffffffff);
    }
    p.put(0, h, 0, h.length);
    if (C.pwrite(shm, p, h.length, 0) != h.length) {
      throw new IOException("cannot update " + path + "-shm through the mount: errno " + Libc.errno());
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      buffers.giveBack(pages);
      if (keep != null && finished) {
        MountWriter.unlock(fd, shm);
        keep.run();
      } else {
        MountWriter.release(fd, shm);
      }
    }
  }
}
