package dev.litefs.core.fuse;

import dev.litefs.core.sqlite.WalReader;
import jnr.ffi.Pointer;

/**
 * The write callback's work per kind of file, after the mount has checked who may write: database pages
 * (checked, and followed for the journal transaction), journal records (whose zeroed header is a PERSIST
 * commit), WAL frames (followed for commit frames) and {@code -shm} (passed through).
 */
final class DataWrites {
  private static final Libc C = Libc.INSTANCE;

  private DataWrites() {}

  /**
   * Writes {@code size} bytes at {@code off} to the backing file of {@code f}.
   *
   * @return the bytes written, or a negative errno
   * @throws MountException when the write must be refused or its transaction cannot be recorded
   */
  static int write(OpenFile f, Pointer buf, long size, long off, boolean byEngine) throws MountException {
    return switch (f.name().kind()) {
      case DATABASE -> byEngine ? databaseAsEngine(f, buf, size, off) : database(f, buf, size, off);
      case JOURNAL -> journal(f, buf, size, off);
      case WAL -> wal(f, buf, size, off);
      default -> passThrough(f, buf, size, off);
    };
  }

  private static int passThrough(OpenFile f, Pointer buf, long size, long off) {
    long r = C.pwrite(f.fd(), buf, size, off);
    return r < 0 ? -Libc.errno() : (int) r;
  }

  private static byte[] head(Pointer buf, long size, long off, int max) {
    if (off != 0) {
      return null;
    }
    byte[] b = new byte[(int) Math.min(size, max)];
    buf.get(0, b, 0, b.length);
    return b;
  }

  private static int database(OpenFile f, Pointer buf, long size, long off) throws MountException {
    byte[] header = head(buf, size, off, 100);
    f.db().checkDatabaseWrite(off, size, header);
    int r = passThrough(f, buf, size, off);
    if (r > 0) {
      f.db().afterDatabaseWrite(off, r, header);
    }
    return r;
  }

  /** The engine's own pages (a replicated transaction): no checks, but the database's mode is followed. */
  private static int databaseAsEngine(OpenFile f, Pointer buf, long size, long off) {
    byte[] header = head(buf, size, off, 100);
    int r = passThrough(f, buf, size, off);
    if (r > 0) {
      f.db().afterDatabaseWrite(off, r, header);
    }
    return r;
  }

  private static int journal(OpenFile f, Pointer buf, long size, long off) throws MountException {
    byte[] head = head(buf, size, off, 28);
    if (isPersistCommit(off, size, head)) {
      f.db().commitJournal();
    }
    int r = passThrough(f, buf, size, off);
    if (r > 0) {
      f.db().afterJournalWrite(off, head);
    }
    return r;
  }

  private static int wal(OpenFile f, Pointer buf, long size, long off) throws MountException {
    f.db().beforeWalWrite(off);
    int r = passThrough(f, buf, size, off);
    if (r > 0 && off < WalReader.HEADER_SIZE && C.fdatasync(f.fd()) != 0) {
      // A new generation's header is made durable before any of its transactions can be recorded, so that
      // after a power loss the WAL on disk is never older than the history (with synchronous=NORMAL SQLite
      // does not sync it itself): recovery would otherwise find an old WAL whose frames it must not replay.
      return -Libc.errno();
    }
    if (r > 0) {
      f.db().afterWalWrite(off, r);
    }
    return r;
  }

  /** Whether a write of {@code head} at {@code off} zeroes the journal header: a PERSIST-mode commit. */
  private static boolean isPersistCommit(long off, long len, byte[] head) {
    if (off != 0 || len != dev.litefs.core.sqlite.HotJournal.HEADER_SIZE) {
      return false;
    }
    for (byte b : head) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
