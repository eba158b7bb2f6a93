package dev.litefs.core.fuse;

import dev.litefs.core.store.Database;
import dev.litefs.core.store.DatabaseFileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The engine as a privileged client of its own mount (ADR 0002, rule 8): applies pages by writing them
 * through the mount, holding SQLite's locks as open-file-description locks, so the kernel's page cache stays
 * right and connections that already have the database open see the new transaction.
 *
 * <ul>
 *   <li>rollback mode: write locks on PENDING, RESERVED and the SHARED range (waiting for readers in flight,
 *       holding new ones off);
 *   <li>WAL mode: the database's PENDING byte, a read lock on {@code -shm}'s DMS byte and write locks on its
 *       WRITE, CKPT, RECOVER and READ bytes, never the database's SHARED range (every open WAL connection
 *       holds it for its lifetime); then both WAL-index headers are rewritten with a new change counter and
 *       page count, which is what makes open connections re-read.
 * </ul>
 * Only ever called from engine threads (never a FUSE callback): the calling thread registers itself.
 */
public final class MountWriter implements DatabaseFileWriter {
  static final long PENDING_BYTE = 0x40000000L;
  static final long RESERVED_BYTE = PENDING_BYTE + 1;
  static final long SHARED_FIRST = PENDING_BYTE + 2;
  static final int SHARED_SIZE = 510;
  static final int SHM_LOCKS = 120;
  static final int SHM_LOCK_COUNT = 8;
  static final int SHM_READ0 = SHM_LOCKS + 3;
  static final int SHM_DMS = 128;
  static final int WAL_INDEX_HEADER = 48;
  static final int WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO = 2 * WAL_INDEX_HEADER + 24;

  private static final Libc C = Libc.INSTANCE;
  private static final Runtime RT = Runtime.getSystemRuntime();

  private final Path mount;
  private final EngineThreads engine;
  private final IdleDescriptors idle = new IdleDescriptors();

  public MountWriter(Path mount, EngineThreads engine) {
    this.mount = mount;
    this.engine = engine;
  }

  @Override
  public Session open(Database db, int pageSize) throws IOException {
    return open(db, pageSize, null);
  }

  /**
   * As {@link #open}, keeping the descriptors open (without locks) after the session for the next one on the
   * same database, until {@link #release}. They are reused only if, once the locks are held (when no client
   * can delete the files), neither file has been unlinked meanwhile.
   */
  @Override
  public Session openForStream(Database db, int pageSize) throws IOException {
    return open(db, pageSize, idle);
  }

  @Override
  public void release(Database db) {
    idle.close(db.name());
  }

  private Session open(Database db, int pageSize, IdleDescriptors keep) throws IOException {
    engine.registerCurrent();
    String path = mount.resolve(db.name()).toString();
    IdleDescriptors.Held held = keep == null ? null : keep.take(db.name());
    int fd;
    int shm = -1;
    if (held != null) {
      fd = held.fd();
      shm = held.shm();
    } else {
      boolean existed = java.nio.file.Files.exists(db.databaseFile());
      fd = C.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
      if (fd < 0) {
        throw new IOException("cannot open " + path + " through the mount: errno " + Libc.errno());
      }
      if (!existed) {
        NameRevealer.reveal(mount, engine, db.name());
      }
    }
    boolean wal;
    try {
      wal = isWal(fd);
      if (!wal && shm >= 0) {
        C.close(shm);
        shm = -1;
      }
      if (wal) {
        if (shm < 0) {
          shm = C.open(path + "-shm", Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        }
        if (shm < 0) {
          throw new IOException("cannot open " + path + "-shm through the mount: errno " + Libc.errno());
        }
        lock(shm, Libc.F_RDLCK, SHM_DMS, 1, path + "-shm DMS");
        lock(shm, Libc.F_WRLCK, SHM_LOCKS, SHM_LOCK_COUNT, path + "-shm WAL locks");
      }
      lock(fd, Libc.F_WRLCK, PENDING_BYTE, 1, path + " PENDING");
      if (!wal) {
        lock(fd, Libc.F_WRLCK, RESERVED_BYTE, 1, path + " RESERVED");
        lock(fd, Libc.F_WRLCK, SHARED_FIRST, SHARED_SIZE, path + " SHARED");
      }
      if (held != null && (IdleDescriptors.unlinked(fd) || (shm >= 0 && IdleDescriptors.unlinked(shm)))) {
        // A client deleted the file while the descriptors were idle: start again with new ones.
        release(fd, shm);
        return open(db, pageSize, keep);
      }
    } catch (IOException e) {
      release(fd, shm);
      throw e;
    }
    int shmFd = shm;
    MountSession session = new MountSession(path, db.databaseFile(), fd, shm, pageSize, engine,
        keep == null ? null : () -> keep.put(db.name(), fd, shmFd));
    if (wal && java.nio.file.Files.exists(db.walFile()) && java.nio.file.Files.size(db.walFile()) > 0) {
      // Pages go into the database file, but a WAL with valid frames (this node's own commits as primary,
      // not yet checkpointed) would override them: for open connections, and for the next connection's
      // recovery. Copy its committed pages in and empty it first.
      try {
        session.checkpoint(db);
      } catch (IOException e) {
        session.close();
        throw e;
      }
    }
    return session;
  }

  /**
   * Takes a read lock on the database's SHARED range (after PENDING, as SQLite's readers do), which in
   * rollback mode holds writers off for the whole read. In WAL mode it only keeps a closing connection from
   * checkpointing and deleting the WAL; writers go on appending frames while the pages are read, and what
   * keeps those pages still is a read lock on {@code -shm}'s READ0 byte, without which no checkpoint can
   * copy frames into the database file. The WRITE lock is held only while the committed frames are found
   * (no commit is then in flight, so they match the position). No writer can restart the WAL over the frames
   * read: that needs every frame checkpointed, and then the pages are all read from the database file.
   * Unlike LiteFS, the CKPT and RECOVER locks stay free, so a new connection can rebuild the WAL index.
   */
  @Override
  public ReadSession openRead(Database db) throws IOException {
    engine.registerCurrent();
    String path = mount.resolve(db.name()).toString();
    int fd = C.open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("cannot open " + path + " through the mount: errno " + Libc.errno());
    }
    int shm = -1;
    try {
      lock(fd, Libc.F_RDLCK, PENDING_BYTE, 1, path + " PENDING");
      lock(fd, Libc.F_RDLCK, SHARED_FIRST, SHARED_SIZE, path + " SHARED");
      lock(fd, Libc.F_UNLCK, PENDING_BYTE, 1, path + " PENDING");
      if (!isWal(fd)) {
        return new HeldRead(db.committedPages(), fd, shm);
      }
      shm = C.open(path + "-shm", Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
      if (shm < 0) {
        throw new IOException("cannot open " + path + "-shm through the mount: errno " + Libc.errno());
      }
      lock(shm, Libc.F_RDLCK, SHM_READ0, 1, path + "-shm READ0");
      lock(shm, Libc.F_WRLCK, SHM_LOCKS, 1, path + "-shm WRITE");
      ReadSession pages = db.committedPages(!(hasConnections(shm) && isFullyCheckpointed(shm)));
      try {
        lock(shm, Libc.F_UNLCK, SHM_LOCKS, 1, path + "-shm WRITE");
      } catch (IOException e) {
        pages.close();
        throw e;
      }
      return new HeldRead(pages, fd, shm);
    } catch (IOException e) {
      release(fd, shm);
      throw e;
    }
  }

  /**
   * Whether a connection has the database open in WAL mode (holds a read lock on {@code -shm}'s DMS byte),
   * so the WAL index is current. Without one it may be stale (a client killed mid-commit), so the WAL's frames
   * are read: the next connection's recovery counts every valid frame as not checkpointed, and none can be
   * checkpointed while READ0 is held, so no writer restarts the WAL over them.
   */
  private static boolean hasConnections(int shm) {
    Pointer flock = Memory.allocateDirect(RT, 32);
    flock.putShort(0, Libc.F_WRLCK);
    flock.putShort(2, (short) 0);
    flock.putLong(8, SHM_DMS);
    flock.putLong(16, 1);
    flock.putInt(24, 0);
    return C.fcntl(shm, Libc.F_OFD_GETLK, flock) == 0 && flock.getShort(0) != Libc.F_UNLCK;
  }

  /**
   * Whether {@code -shm} holds a valid WAL-index header (both copies equal and initialised) whose
   * checkpoint info says every frame of the WAL is in the database file (or the WAL is empty).
   */
  private static boolean isFullyCheckpointed(int shm) {
    Pointer p = Memory.allocateDirect(RT, WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO);
    if (C.pread(shm, p, WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO, 0) < WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO) {
      return false;
    }
    byte[] h = new byte[WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO];
    p.get(0, h, 0, h.length);
    if (!java.util.Arrays.equals(h, 0, WAL_INDEX_HEADER, h, WAL_INDEX_HEADER, 2 * WAL_INDEX_HEADER) || h[12] != 1) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.nativeOrder());
    long mxFrame = Integer.toUnsignedLong(b.getInt(16));
    long backfilled = Integer.toUnsignedLong(b.getInt(96));
    return backfilled >= mxFrame;
  }

  /** A read of the committed pages under locks released, with the files, when it closes. */
  private static final class HeldRead implements ReadSession {
    private final ReadSession pages;
    private final int fd;
    private final int shm;

    HeldRead(ReadSession pages, int fd, int shm) {
      this.pages = pages;
      this.fd = fd;
      this.shm = shm;
    }

    @Override
    public dev.litefs.core.ltx.Pos position() {
      return pages.position();
    }

    @Override
    public int pageSize() {
      return pages.pageSize();
    }

    @Override
    public int pageCount() {
      return pages.pageCount();
    }

    @Override
    public void readPage(int pgno, byte[] dst) throws IOException {
      pages.readPage(pgno, dst);
    }

    @Override
    public void close() throws IOException {
      try {
        pages.close();
      } finally {
        release(fd, shm);
      }
    }
  }

  @Override
  public void delete(Database db) throws IOException {
    engine.registerCurrent();
    idle.close(db.name());
    java.nio.file.Files.deleteIfExists(mount.resolve(db.name()));
  }

  private static boolean isWal(int fd) {
    Pointer b = Memory.allocateDirect(RT, 2);
    return C.pread(fd, b, 2, 18) == 2 && b.getByte(0) == 2 && b.getByte(1) == 2;
  }

  private static void lock(int fd, short type, long start, long len, String what) throws IOException {
    Pointer flock = Memory.allocateDirect(RT, 32);
    flock.putShort(0, type);
    flock.putShort(2, (short) 0);
    flock.putLong(8, start);
    flock.putLong(16, len);
    flock.putInt(24, 0);
    while (C.fcntl(fd, Libc.F_OFD_SETLKW, flock) != 0) {
      int errno = Libc.errno();
      if (errno != jnr.constants.platform.Errno.EINTR.intValue()) {
        throw new IOException("cannot lock " + what + ": errno " + errno);
      }
    }
  }

  private static void release(int fd, int shm) {
    unlock(fd, shm);
    for (int f : new int[] {fd, shm}) {
      if (f >= 0) {
        C.close(f);
      }
    }
  }

  /** Releases every lock held through {@code fd} and {@code shm}. */
  private static void unlock(int fd, int shm) {
    for (int f : new int[] {fd, shm}) {
      if (f >= 0) {
        Pointer flock = Memory.allocateDirect(RT, 32);
        flock.putShort(0, Libc.F_UNLCK);
        C.fcntl(f, Libc.F_OFD_SETLK, flock);
      }
    }
  }

  /**
   * One apply: pages written through the mount under the locks taken at open. Consecutive pages are gathered
   * and written with one {@code pwrite} of up to {@link #WRITE_BYTES} (a snapshot's 262,144 pages per GiB
   * become 8,192 writes); every page is written before {@code finish} returns.
   */
  private static final class MountSession implements Session {
    /** The most bytes gathered for one write: the mount's {@code max_write}. */
    static final int WRITE_BYTES = 128 * 1024;

    private final String path;
    private final Path backing;
    private final int fd;
    private final int shm;
    private final int pageSize;
    private final Pointer pages;
    private final int capacity;
    private final EngineThreads engine;
    /** Keeps the descriptors for the next session instead of closing them, or {@code null}. */
    private final Runnable keep;
    private boolean finished;
    private int firstPgno;
    private int gathered;
    private boolean closed;

    MountSession(String path, Path backing, int fd, int shm, int pageSize, EngineThreads engine, Runnable keep) {
      this.path = path;
      this.backing = backing;
      this.fd = fd;
      this.shm = shm;
      this.pageSize = pageSize;
      this.capacity = Math.max(1, WRITE_BYTES / pageSize);
      this.pages = Memory.allocateDirect(RT, (long) capacity * pageSize);
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
      // The WAL's frames are about to go: every transaction recorded from them must be durable first. (The
      // mount's own sync before a truncation would wait for the database lock this thread may hold.)
      db.sync();
      int commit = db.pageCount();
      byte[] data = new byte[pageSize];
      try (ReadSession committed = db.committedPages()) {
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
      Pointer p = Memory.allocateDirect(RT, WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO);
      long n = C.pread(shm, p, WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO, 0);
      if (n < WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO) {
        return; // No connection has initialised the -shm yet: whoever does will read the database afresh.
      }
      byte[] h = new byte[WAL_INDEX_HEADERS_AND_CHECKPOINT_INFO];
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
      System.arraycopy(h, 0, h, WAL_INDEX_HEADER, WAL_INDEX_HEADER);
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
        if (keep != null && finished) {
          unlock(fd, shm);
          keep.run();
        } else {
          release(fd, shm);
        }
      }
    }
  }
}
