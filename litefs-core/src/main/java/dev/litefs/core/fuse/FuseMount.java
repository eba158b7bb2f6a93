package dev.litefs.core.fuse;

import dev.litefs.core.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running mount of a store: clears a stale mount left at the directory, mounts (multi-threaded, with the
 * options of ADR 0002), waits until the kernel shows it, and unmounts on {@link #close()}, waiting for the
 * file system loop to end.
 */
public final class FuseMount implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
  /** libfuse2 options: whole writes up to 128 KiB, real unlinks, and kernel caches trusted for an hour. */
  static final String OPTIONS = "big_writes,max_write=131072,hard_remove,entry_timeout=3600,attr_timeout=3600,"
      + "negative_timeout=3600";
  private static final long MOUNT_TIMEOUT_MS = 15_000;

  private final Path dir;
  private final LiteFsFileSystem fs;
  private final Thread loop;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private NameRevealer revealer;

  private FuseMount(Path dir, LiteFsFileSystem fs, boolean allowOther, boolean debug) {
    this.dir = dir;
    this.fs = fs;
    List<String> opts = new ArrayList<>(List.of("-o", OPTIONS + (allowOther ? ",allow_other" : "")));
    this.loop = new Thread(() -> {
      try {
        fs.mount(dir, true, debug, opts.toArray(String[]::new));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "litefs-fuse");
    loop.setDaemon(true);
  }

  /**
   * Mounts {@code store} at {@code dir}.
   *
   * @throws IOException if a live mount is already there, or the mount does not come up (the message says
   *     why: no {@code /dev/fuse}, missing {@code fusermount}, permissions)
   */
  public static FuseMount mount(Path dir, Store store, NodeView node, EngineThreads engine, boolean allowOther,
      boolean debug) throws IOException {
    StaleMounts.clearStale(dir);
    Files.createDirectories(dir);
    try (var entries = Files.list(dir)) {
      List<String> names = entries.limit(5).map(p -> p.getFileName().toString()).toList();
      if (!names.isEmpty()) {
        throw new IOException("cannot mount " + dir + ": the directory is not empty (" + String.join(", ", names)
            + "); files written there before the mount would be hidden by it: move them away (use litefs import "
            + "for a database) or choose another fuse.dir");
      }
    }
    if (!Files.exists(Path.of("/dev/fuse"))) {
      throw new IOException("cannot mount " + dir + ": /dev/fuse does not exist (is FUSE available in this container?)");
    }
    FuseMount m = new FuseMount(dir, new LiteFsFileSystem(store, node, engine), allowOther, debug);
    m.loop.start();
    long deadline = System.currentTimeMillis() + MOUNT_TIMEOUT_MS;
    while (StaleMounts.find(dir).isEmpty()) {
      if (!m.loop.isAlive() || m.failure.get() != null) {
        Throwable t = m.failure.get();
        throw new IOException("cannot mount " + dir + ": " + (t == null ? "the FUSE loop ended (see the log for "
            + "libfuse's error; fuse3 and libfuse2 must be installed)" : t.getMessage()), t);
      }
      if (System.currentTimeMillis() > deadline) {
        m.close();
        throw new IOException("cannot mount " + dir + ": it did not appear within " + MOUNT_TIMEOUT_MS + " ms");
      }
      try {
        Thread.sleep(5); // polling the kernel's mount table; libfuse has no readiness callback here
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while mounting " + dir, e);
      }
    }
    m.revealer = new NameRevealer(dir, engine);
    m.fs.revealNamesThrough(m.revealer);
    log.info("mounted {}", dir);
    return m;
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  /** Unmounts and waits for the file system loop to end. */
  @Override
  public void close() throws IOException {
    if (revealer != null) {
      revealer.close();
    }
    if (StaleMounts.find(dir).isPresent()) {
      StaleMounts.unmount(dir);
    }
    try {
      loop.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("unmounted {}", dir);
  }
}
