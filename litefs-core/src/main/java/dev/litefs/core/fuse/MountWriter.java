package dev.litefs.core.fuse;

import dev.litefs.core.sqlite.HotJournal;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.DatabaseFileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as a privileged client of its own mount (ADR 0002, rule 8): applies pages by writing them
 * through the mount, holding SQLite's locks as open-file-description locks, so the kernel's page cache stays
 * right and connections that already have the database open see the new transaction.
 *
 * <ul>
 *   <li>rollback mode: write locks on PENDING, RESERVED and the SHARED range (waiting for readers in flight,
 *       holding new ones off);
 *   <li>WAL mode: the database's PENDING byte (first: from then on no connection can delete or create
 *       {@code -shm}), a read lock on {@code -shm}'s DMS byte and write locks on its WRITE, CKPT, RECOVER and
 *       READ bytes, never the database's SHARED range (every open WAL connection holds it for its lifetime);
 *       then both WAL-index headers are rewritten with a new change counter and page count, which is what
 *       makes open connections re-read. With no connection open, {@code -shm} is not touched.
 * </ul>
 * Before writing, under those locks, it brings the database file back to what was recorded: a hot journal
 * (left by a transaction that was not recorded) is rolled back, and a WAL's committed frames (left by this node's
 * time as primary) are checkpointed, since the WAL-index header it rewrites tells connections to ignore the WAL.
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

  private static final Logger log = LoggerFactory.getLogger(MountWriter.class);
  private static final Libc C = Libc.INSTANCE;
  private static final Runtime RT = Runtime.getSystemRuntime();

  private final Path mount;
  private final EngineThreads engine;
  private final IdleDescriptors idle = new IdleDescriptors();
  private final WriteBuffers buffers = new WriteBuffers(MountSession.WRITE_BYTES);

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

  /**
   * As the default, then opens the name through the mount with {@code O_CREAT} (as creating the file through
   * the mount would have), so a kernel that remembers the name as missing looks it up again. Nothing else
   * needs the mount: the kernel has nothing cached for a file that did not exist.
   */
  @Override
  public boolean install(Database db, Path file) throws IOException {
    engine.registerCurrent();
    if (!DatabaseFileWriter.super.install(db, file)) {
      return false;
    }
    String path = mount.resolve(db.name()).toString();
    int fd = C.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
    if (fd < 0) {
      throw new IOException("cannot open " + path + " through the mount: errno " + Libc.errno());
    }
    C.close(fd);
    NameRevealer.reveal(mount, engine, db.name());
    return true;
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
      boolean existed = Files.exists(db.databaseFile());
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
      // PENDING first: while it is held, no connection can delete -shm (SQLite deletes it only as the last
      // connection closes, under an EXCLUSIVE lock, which needs PENDING) and none can start opening the
      // database (its SHARED lock needs PENDING too). Opening -shm after a client's unlink fails with ENOENT.
      lock(fd, Libc.F_WRLCK, PENDING_BYTE, 1, path + " PENDING");
      if (held != null && IdleDescriptors.unlinked(fd)) {
        // The database was deleted while the descriptors were idle: start again with new ones.
        release(fd, shm);
        return open(db, pageSize, keep);
      }
      wal = isWal(fd);
      if (shm >= 0 && (!wal || IdleDescriptors.unlinked(shm))) {
        C.close(shm); // no lock was taken through it yet
        shm = -1;
      }
      if (wal && shm < 0 && (hasOpenConnections(fd) || walHasFrames(db))) {
        shm = C.open(path + "-shm", Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        if (shm < 0) {
          throw new IOException("cannot open " + path + "-shm through the mount: errno " + Libc.errno());
        }
      }
      if (shm >= 0) {
        lock(shm, Libc.F_RDLCK, SHM_DMS, 1, path + "-shm DMS");
        lock(shm, Libc.F_WRLCK, SHM_LOCKS, SHM_LOCK_COUNT, path + "-shm WAL locks");
      }
      if (!wal) {
        lockForRollbackModeWrite(fd, path);
        rollBackLocked(db, path, pageSize);
      }
    } catch (IOException | RuntimeException e) {
      release(fd, shm);
      throw e;
    }
    int shmFd = shm;
    MountSession session = new MountSession(path, db.databaseFile(), fd, shm, pageSize, engine,
        keep == null ? null : () -> keep.put(db.name(), fd, shmFd), buffers);
    if (wal && walHasFrames(db)) {
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
   * Whether a connection has database {@code fd} open in WAL mode: every such connection holds a SHARED lock
   * on it from its start to its close. Without one (and without WAL frames to checkpoint), the apply leaves
   * {@code -shm} alone: no connection has a WAL index to be told about the new pages, and the next one to
   * open builds its index afresh from the empty WAL and reads them from the database file.
   */
  private static boolean hasOpenConnections(int fd) {
    Pointer flock = Memory.allocateDirect(RT, 32);
    flock.putShort(0, Libc.F_WRLCK);
    flock.putShort(2, (short) 0);
    flock.putLong(8, SHARED_FIRST);
    flock.putLong(16, SHARED_SIZE);
    flock.putInt(24, 0);
    return C.fcntl(fd, Libc.F_OFD_GETLK, flock) != 0 || flock.getShort(0) != Libc.F_UNLCK;
  }

  private static boolean walHasFrames(Database db) throws IOException {
    return Files.exists(db.walFile()) && Files.size(db.walFile()) > 0;
  }

  private static void lockForRollbackModeWrite(int fd, String path) throws IOException {
    lock(fd, Libc.F_WRLCK, RESERVED_BYTE, 1, path + " RESERVED");
    lock(fd, Libc.F_WRLCK, SHARED_FIRST, SHARED_SIZE, path + " SHARED");
  }

  /**
   * Rolls back {@code db}'s journal if it is hot: a transaction that was not recorded (refused because the node
   * stopped being primary, or failed) left the database with some of its pages. Takes SQLite's write locks through
   * the mount first, so it waits for the client whose commit failed to let go, and writes the original pages
   * through the mount, so the kernel's cache holds them too. Nothing to do when the journal is not hot.
   */
  void rollBackHotJournal(Database db) throws IOException {
    if (!isHot(db.journalFile())) {
      return;
    }
    engine.registerCurrent();
    String path = mount.resolve(db.name()).toString();
    int fd = C.open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("cannot open " + path + " through the mount: errno " + Libc.errno());
    }
    try {
      lock(fd, Libc.F_WRLCK, PENDING_BYTE, 1, path + " PENDING");
      lockForRollbackModeWrite(fd, path);
      rollBackLocked(db, path, db.pageSize() == 0 ? 4096 : db.pageSize());
    } finally {
      release(fd, -1);
    }
  }

  private static boolean isHot(Path journal) throws IOException {
    try (FileChannel j = FileChannel.open(journal, StandardOpenOption.READ)) {
      return HotJournal.isHot(j);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** With the rollback-mode write locks held: restores the hot journal's pages through the mount, then deletes it. */
  private static void rollBackLocked(Database db, String path, int pageSize) throws IOException {
    if (!db.journalFile().toFile().exists()) {
      return; // The usual case, checked without the exception a failed open throws (a replica applies often).
    }
    HotJournal.Rollback r;
    try (FileChannel journal = FileChannel.open(db.journalFile(), StandardOpenOption.READ);
        FileChannel database = FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      r = HotJournal.rollback(journal, database, pageSize);
    } catch (NoSuchFileException e) {
      return;
    }
    if (r == null) {
      return;
    }
    Files.deleteIfExists(Path.of(path + "-journal"));
    log.info("database {}: rolled back the hot journal of a transaction that was not recorded ({} pages restored, "
        + "{} pages)", db.name(), r.pagesRestored(), r.originalPageCount());
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

  static void lock(int fd, short type, long start, long len, String what) throws IOException {
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

  static void release(int fd, int shm) {
    unlock(fd, shm);
    for (int f : new int[] {fd, shm}) {
      if (f >= 0) {
        C.close(f);
      }
    }
  }

  /** Releases every lock held through {@code fd} and {@code shm}. */
  static void unlock(int fd, int shm) {
    for (int f : new int[] {fd, shm}) {
      if (f >= 0) {
        Pointer flock = Memory.allocateDirect(RT, 32);
        flock.putShort(0, Libc.F_UNLCK);
        C.fcntl(f, Libc.F_OFD_SETLK, flock);
      }
    }
  }
}
