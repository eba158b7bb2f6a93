package dev.litefs.core.fuse;

import dev.litefs.core.fuse.MountName.Kind;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.Store;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Statvfs;

/**
 * The mount's flat directory: which names exist, their attributes (LiteFS's modes: databases 0444 on a
 * replica, virtual files with LiteFS's fixed sizes and mtimes), and the listing in LiteFS's order:
 * {@code .lag}, {@code .primary} on a connected replica, then per database with pages, by name, the
 * database, its {@code -pos}, and its journal, shared memory and WAL files when they exist.
 */
final class Directory {
  private final Store store;
  private final NodeView node;
  private final Function<String, Optional<MountedDatabase>> databases;

  Directory(Store store, NodeView node, Function<String, Optional<MountedDatabase>> databases) {
    this.store = store;
    this.node = node;
    this.databases = databases;
  }

  int getattr(String path, FileStat stat) {
    if ("/".equals(path)) {
      Attributes.directory(stat, node.isPrimary());
      return 0;
    }
    MountName n = MountName.parse(path);
    return n == null ? -Errno.ENOENT : attributes(n, stat);
  }

  int attributes(OpenFile f, FileStat stat) {
    if (f.isVirtual()) {
      return attributes(f.name(), stat);
    }
    jnr.posix.FileStat s = Attributes.fstat(f.fd());
    if (s == null) {
      return -Libc.errno();
    }
    Attributes.backing(stat, s, mode(f.name().kind()));
    return 0;
  }

  private int mode(Kind kind) {
    return kind == Kind.DATABASE && !node.isPrimary() ? 0444 : 0666;
  }

  int attributes(MountName n, FileStat stat) {
    switch (n.kind()) {
      case LAG:
        Attributes.virtual(stat, 0444, VirtualFiles.LAG_SIZE, Instant.ofEpochMilli(node.primaryTimestamp()));
        return 0;
      case PRIMARY: {
        byte[] p = VirtualFiles.primary(node);
        if (p == null) {
          return -Errno.ENOENT;
        }
        Attributes.virtual(stat, 0444, p.length, Instant.now());
        return 0;
      }
      default:
        break;
    }
    Optional<MountedDatabase> db = databases.apply(n.db());
    if (db.isEmpty()) {
      return -Errno.ENOENT;
    }
    switch (n.kind()) {
      case POS:
        Attributes.virtual(stat, 0666, VirtualFiles.POS_SIZE, db.get().db.posTimestamp());
        return 0;
      case LOCK:
        Attributes.virtual(stat, 0444, 0, Instant.EPOCH);
        return 0;
      default: {
        jnr.posix.FileStat s = Attributes.stat(db.get().backing(n.kind()));
        if (s == null) {
          return -Errno.ENOENT;
        }
        Attributes.backing(stat, s, mode(n.kind()));
        return 0;
      }
    }
  }

  List<String> list() {
    List<String> names = new ArrayList<>();
    names.add(MountName.LAG);
    if (VirtualFiles.primary(node) != null) {
      names.add(MountName.PRIMARY);
    }
    for (Database d : store.databases()) {
      MountedDatabase m = databases.apply(d.name()).orElseThrow();
      if (!m.exists()) {
        continue;
      }
      names.add(d.name());
      names.add(Kind.POS.fileName(d.name()));
      for (Kind k : new Kind[] {Kind.JOURNAL, Kind.SHM, Kind.WAL}) {
        if (Files.exists(Path.of(m.backing(k)))) {
          names.add(k.fileName(d.name()));
        }
      }
    }
    return names;
  }

  /** The data directory's file system, as LiteFS passes it through. */
  int statfs(Statvfs st) {
    try {
      FileStore fs = Files.getFileStore(store.options().dataDir());
      long bs = fs.getBlockSize();
      st.f_bsize.set(bs);
      st.f_frsize.set(bs);
      st.f_blocks.set(fs.getTotalSpace() / bs);
      st.f_bfree.set(fs.getUnallocatedSpace() / bs);
      st.f_bavail.set(fs.getUsableSpace() / bs);
      st.f_namemax.set(255);
      return 0;
    } catch (IOException e) {
      return -Errno.EIO;
    }
  }
}
