package dev.litefs.core.fuse;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a new database's virtual companions ({@code <db>-pos}, {@code <db>-lock}) visible at once. The kernel
 * keeps a failed lookup for an hour (ADR 0002), so a client that looked for {@code app.db-pos} before
 * {@code app.db} existed would keep getting "no such file"; creating the names through the mount from an
 * engine thread replaces that cached answer. Runs on its own thread because a FUSE callback must never do
 * I/O on its own mount (the kernel holds the directory while the callback runs).
 */
final class NameRevealer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NameRevealer.class);

  private final Path mount;
  private final EngineThreads engine;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "litefs-reveal");
    t.setDaemon(true);
    return t;
  });

  NameRevealer(Path mount, EngineThreads engine) {
    this.mount = mount;
    this.engine = engine;
  }

  /** Reveals {@code db}'s companions soon, from the revealer's own thread. */
  void revealLater(String db) {
    thread.execute(() -> reveal(mount, engine, db));
  }

  /** Reveals {@code db}'s companions from the calling engine thread (never a FUSE callback). */
  static void reveal(Path mount, EngineThreads engine, String db) {
    engine.registerCurrent();
    for (MountName.Kind k : new MountName.Kind[] {MountName.Kind.POS, MountName.Kind.LOCK}) {
      String p = mount.resolve(k.fileName(db)).toString();
      int fd = Libc.INSTANCE.open(p, Libc.O_CREAT | Libc.O_RDONLY | Libc.O_CLOEXEC, 0444);
      if (fd < 0) {
        log.debug("cannot reveal {}: errno {}", p, Libc.errno());
      } else {
        Libc.INSTANCE.close(fd);
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
