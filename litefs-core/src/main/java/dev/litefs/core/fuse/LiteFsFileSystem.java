package dev.litefs.core.fuse;

import dev.litefs.core.fuse.MountName.Kind;
import dev.litefs.core.store.Store;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;

/**
 * The mount's callbacks. Every open file's state is found by its handle (paths are null after an unlink);
 * only namespace operations use paths. SQLite's locks are left to the kernel: there is no {@code lock}
 * callback. Replicas refuse clients' writes to databases, journals and WALs with EACCES, as LiteFS does, but
 * let readers create and write {@code -shm} and create {@code -wal}, which WAL-mode reads need. The engine's
 * own threads ({@link EngineThreads}) may write anything.
 */
final class LiteFsFileSystem extends FuseStubFS {
  private static final Logger log = LoggerFactory.getLogger(LiteFsFileSystem.class);
  private static final Libc C = Libc.INSTANCE;

  private final Store store;
  private final NodeView node;
  private final EngineThreads engine;
  private final Map<String, MountedDatabase> mounted = new ConcurrentHashMap<>();
  private final Map<Long, OpenFile> handles = new ConcurrentHashMap<>();
  private final AtomicLong nextHandle = new AtomicLong(1);
  private final Directory directory;
  private volatile NameRevealer revealer;
  private volatile JournalRollbacks rollbacks;

  LiteFsFileSystem(Store store, NodeView node, EngineThreads engine) {
    this.store = store;
    this.node = node;
    this.engine = engine;
    this.directory = new Directory(store, node, this::database);
    FuseStructs.checkLayout(fuseOperations, FuseFileInfo.of(jnr.ffi.Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 64)));
    FuseStructs.setNullPathOk(fuseOperations);
  }

  /** Starts revealing new databases' companion names, and rolling back refused journals, through the mount. */
  void actThrough(NameRevealer r, JournalRollbacks j) {
    revealer = r;
    rollbacks = j;
  }

  @Override
  protected String getFSName() {
    return "litefs";
  }

  private Optional<MountedDatabase> database(String name) {
    MountedDatabase m = mounted.get(name);
    if (m != null) {
      return Optional.of(m);
    }
    return store.database(name).map(db -> mounted.computeIfAbsent(name, n -> new MountedDatabase(db, () -> {
      JournalRollbacks j = rollbacks;
      if (j != null) {
        j.rollBackLater(db);
      }
    })));
  }

  private boolean writable(String db) {
    return node.canWrite(db) || engine.contains(getContext().pid.get());
  }

  // Attributes and directory.

  @Override
  public int getattr(String path, FileStat stat) {
    return directory.getattr(path, stat);
  }

  @Override
  public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
    OpenFile f = handles.get(fi.fh.get());
    if (f == null) {
      return path == null ? -Errno.EBADF : getattr(path, stat);
    }
    return directory.attributes(f, stat);
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filter, long offset, FuseFileInfo fi) {
    if (!"/".equals(path)) {
      return -Errno.ENOENT;
    }
    for (String name : directory.list()) {
      filter.apply(buf, name, null, 0);
    }
    return 0;
  }

  @Override
  public int statfs(String path, Statvfs st) {
    return directory.statfs(st);
  }

  // Opening and closing.

  @Override
  public int open(String path, FuseFileInfo fi) {
    MountName n = MountName.parse(path);
    if (n == null) {
      return -Errno.ENOENT;
    }
    int flags = fi.flags.get();
    if ((flags & Libc.O_TRUNC) != 0 && n.kind() == Kind.DATABASE) {
      log.warn("refusing to truncate database {} on open; delete it with rm, replace it with litefs import", n.db());
      return -Errno.EPERM;
    }
    return openFile(n, flags & ~(Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOCTTY), fi);
  }

  @Override
  public int create(String path, long mode, FuseFileInfo fi) {
    MountName n = MountName.parse(path);
    if (n == null) {
      return -Errno.ENOENT;
    }
    switch (n.kind()) {
      case PRIMARY:
        return engine.contains(getContext().pid.get()) ? openVirtual(n, null, fi) : -Errno.EACCES;
      case POS:
      case LOCK: {
        Optional<MountedDatabase> db = database(n.db());
        if (db.isPresent() && engine.contains(getContext().pid.get())) {
          return openVirtual(n, db.get(), fi);
        }
        return -Errno.ENOSYS;
      }
      case DATABASE:
        // A replica lets the empty file be created, as LiteFS does, so SQLite reports its first write as
        // "attempt to write a readonly database" rather than failing to open.
        try {
          store.createDatabase(n.db());
          if (revealer != null && !engine.contains(getContext().pid.get())) {
            revealer.revealLater(n.db());
          }
        } catch (IllegalArgumentException e) {
          log.warn("refusing to create database: {}", e.getMessage());
          return -Errno.EINVAL;
        } catch (IOException e) {
          log.error("cannot create database {}: {}", n.db(), e.toString());
          return -Errno.EIO;
        }
        break;
      case JOURNAL:
        if (!writable(n.db())) {
          return -Errno.EACCES;
        }
        break;
      case WAL:
      case SHM:
        break;
      default:
        return -Errno.ENOSYS;
    }
    return openFile(n, (fi.flags.get() & ~Libc.O_NOCTTY) | Libc.O_CREAT, fi);
  }

  private int openFile(MountName n, int flags, FuseFileInfo fi) {
    if (n.kind() == Kind.LAG || n.kind() == Kind.PRIMARY) {
      return n.kind() == Kind.PRIMARY && VirtualFiles.primary(node) == null ? -Errno.ENOENT : openVirtual(n, null, fi);
    }
    Optional<MountedDatabase> db = database(n.db());
    if (db.isEmpty()) {
      return -Errno.ENOENT;
    }
    if (n.kind() == Kind.POS || n.kind() == Kind.LOCK) {
      return openVirtual(n, db.get(), fi);
    }
    if ((flags & Libc.O_TRUNC) != 0 && n.kind() == Kind.JOURNAL) {
      int r = commitJournal(db.get());
      if (r != 0) {
        return r;
      }
    }
    int fd = C.open(db.get().backing(n.kind()), flags | Libc.O_CLOEXEC, 0644);
    if (fd < 0) {
      return -Libc.errno();
    }
    long fh = nextHandle.getAndIncrement();
    handles.put(fh, new OpenFile(n, fd, db.get()));
    fi.fh.set(fh);
    FuseStructs.setCaching(fi, false, true);
    return 0;
  }

  private int openVirtual(MountName n, MountedDatabase db, FuseFileInfo fi) {
    long fh = nextHandle.getAndIncrement();
    handles.put(fh, new OpenFile(n, -1, db));
    fi.fh.set(fh);
    FuseStructs.setCaching(fi, true, false);
    return 0;
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    OpenFile f = handles.remove(fi.fh.get());
    if (f != null && !f.isVirtual()) {
      C.close(f.fd());
    }
    return 0;
  }

  // No flush callback: there is nothing to flush (writes reach the backing file before they return), and
  // without one libfuse answers ENOSYS, after which the kernel stops sending FLUSH on every close.

  @Override
  public int fsync(String path, int datasync, FuseFileInfo fi) {
    OpenFile f = handles.get(fi.fh.get());
    if (f == null || f.isVirtual()) {
      return 0;
    }
    if (f.name().kind() == Kind.DATABASE || f.name().kind() == Kind.JOURNAL) {
      f.db().clientSynced();
    }
    return (datasync != 0 ? C.fdatasync(f.fd()) : C.fsync(f.fd())) == 0 ? 0 : -Libc.errno();
  }

  // Data.

  @Override
  public int read(String path, Pointer buf, long size, long off, FuseFileInfo fi) {
    OpenFile f = handles.get(fi.fh.get());
    if (f == null) {
      return -Errno.EBADF;
    }
    if (!f.isVirtual()) {
      long r = C.pread(f.fd(), buf, size, off);
      return r < 0 ? -Libc.errno() : (int) r;
    }
    byte[] content = switch (f.name().kind()) {
      case POS -> VirtualFiles.pos(f.db());
      case LAG -> VirtualFiles.lag(node);
      case PRIMARY -> VirtualFiles.primary(node);
      default -> new byte[0];
    };
    if (content == null) {
      return -Errno.ENOENT;
    }
    int n = (int) Math.max(0, Math.min(size, content.length - off));
    if (n > 0) {
      buf.put(0, content, (int) off, n);
    }
    return n;
  }

  @Override
  public int write(String path, Pointer buf, long size, long off, FuseFileInfo fi) {
    OpenFile f = handles.get(fi.fh.get());
    if (f == null) {
      return -Errno.EBADF;
    }
    if (f.isVirtual()) {
      return -Errno.EIO;
    }
    Kind kind = f.name().kind();
    boolean byEngine = engine.contains(getContext().pid.get());
    if (kind != Kind.SHM && !node.canWrite(f.name().db()) && !byEngine) {
      f.db().journalAbandoned(true);
      return -Errno.EACCES;
    }
    try {
      return DataWrites.write(f, buf, size, off, byEngine);
    } catch (MountException e) {
      log.warn("{}", e.getMessage());
      return -e.errno;
    }
  }

  @Override
  public int truncate(String path, long size) {
    MountName n = MountName.parse(path);
    if (n == null) {
      return -Errno.ENOENT;
    }
    if (n.db() == null || n.kind() == Kind.POS || n.kind() == Kind.LOCK) {
      return -Errno.EACCES;
    }
    Optional<MountedDatabase> db = database(n.db());
    if (db.isEmpty()) {
      return -Errno.ENOENT;
    }
    int fd = C.open(db.get().backing(n.kind()), Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
    if (fd < 0) {
      return -Libc.errno();
    }
    try {
      return truncateOpen(new OpenFile(n, fd, db.get()), size);
    } finally {
      C.close(fd);
    }
  }

  @Override
  public int ftruncate(String path, long size, FuseFileInfo fi) {
    OpenFile f = handles.get(fi.fh.get());
    if (f == null) {
      return path == null ? -Errno.EBADF : truncate(path, size);
    }
    return f.isVirtual() ? -Errno.EACCES : truncateOpen(f, size);
  }

  private int truncateOpen(OpenFile f, long size) {
    Kind kind = f.name().kind();
    if (kind == Kind.POS || kind == Kind.LOCK || kind == Kind.LAG || kind == Kind.PRIMARY) {
      return -Errno.EACCES;
    }
    boolean allowed = writable(f.name().db()) || kind == Kind.SHM;
    if (!allowed) {
      f.db().journalAbandoned(true);
      return -Errno.EACCES;
    }
    if (kind == Kind.DATABASE && !engine.contains(getContext().pid.get())) {
      try {
        f.db().checkDatabaseTruncate(size);
      } catch (MountException e) {
        log.warn("{}", e.getMessage());
        return -e.errno;
      }
    }
    if (kind == Kind.JOURNAL) {
      if (size != 0) {
        log.warn("{}: a journal can only be truncated to zero (TRUNCATE mode), not {} bytes", f.db().db.name(), size);
        return -Errno.EINVAL;
      }
      int r = commitJournal(f.db());
      if (r != 0) {
        return r;
      }
    }
    if (kind == Kind.WAL) {
      if (size != 0) {
        log.warn("{}: the WAL can only be truncated to zero, not {} bytes", f.db().db.name(), size);
        return -Errno.EINVAL;
      }
      try {
        if (engine.contains(getContext().pid.get())) {
          // The engine synced the history before its checkpoint, and may hold the database lock a sync needs.
          f.db().walEmptiedByEngine();
        } else {
          f.db().walReset(false);
        }
      } catch (MountException e) {
        return -e.errno;
      }
    }
    return C.ftruncate(f.fd(), size) == 0 ? 0 : -Libc.errno();
  }

  private static int commitJournal(MountedDatabase db) {
    try {
      db.commitJournal();
      return 0;
    } catch (MountException e) {
      log.warn("{}", e.getMessage());
      return -e.errno;
    }
  }

  // Namespace.

  @Override
  public int unlink(String path) {
    MountName n = MountName.parse(path);
    if (n == null) {
      return -Errno.ENOENT;
    }
    boolean byEngine = engine.contains(getContext().pid.get());
    if (n.kind() == Kind.PRIMARY) {
      return byEngine ? 0 : -Errno.EACCES;
    }
    if (n.kind() == Kind.LAG || n.kind() == Kind.POS || n.kind() == Kind.LOCK) {
      return -Errno.EACCES;
    }
    Optional<MountedDatabase> db = database(n.db());
    if (db.isEmpty()) {
      return -Errno.ENOENT;
    }
    boolean primaryOrEngine = node.canWrite(n.db()) || byEngine;
    try {
      switch (n.kind()) {
        case DATABASE:
          if (!primaryOrEngine) {
            return -Errno.EACCES;
          }
          return db.get().dropAndDelete(byEngine);
        case JOURNAL:
          if (byEngine) {
            db.get().journalAbandoned(false); // the engine deletes a journal only after rolling it back
          } else if (primaryOrEngine) {
            db.get().commitJournal();
          } else {
            db.get().journalAbandoned(true);
            return -Errno.EACCES;
          }
          break;
        case WAL:
          db.get().walReset(true);
          break;
        default:
          break;
      }
    } catch (MountException e) {
      log.warn("{}", e.getMessage());
      return -e.errno;
    }
    return MountedDatabase.deleteBacking(db.get().backing(n.kind()));
  }

  @Override
  public int mkdir(String path, long mode) {
    return -Errno.EPERM;
  }

  @Override
  public int rename(String oldpath, String newpath) {
    return -Errno.EPERM;
  }

  @Override
  public int chmod(String path, long mode) {
    return 0;
  }

  @Override
  public int chown(String path, long uid, long gid) {
    return 0;
  }

  @Override
  public int utimens(String path, ru.serce.jnrfuse.struct.Timespec[] timespec) {
    return 0;
  }
}
