package dev.litefs.core.fuse;

import dev.litefs.core.node.PrimaryFileHook;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and removes {@code .primary} through the mount from an engine thread, so the kernel drops any
 * cached "no such file" for it at once (ADR 0002: the kernel keeps negative lookups for an hour).
 */
public final class PrimaryFile implements PrimaryFileHook {
  private static final Logger log = LoggerFactory.getLogger(PrimaryFile.class);
  private final Path path;
  private final EngineThreads engine;

  public PrimaryFile(Path mount, EngineThreads engine) {
    this.path = mount.resolve(MountName.PRIMARY);
    this.engine = engine;
  }

  @Override
  public void connected(String hostname) {
    engine.registerCurrent();
    int fd = Libc.INSTANCE.open(path.toString(), Libc.O_CREAT | Libc.O_WRONLY | Libc.O_CLOEXEC, 0444);
    if (fd < 0) {
      log.warn("cannot create {} through the mount: errno {}", path, Libc.errno());
      return;
    }
    Libc.INSTANCE.close(fd);
  }

  @Override
  public void disconnected() {
    engine.registerCurrent();
    try {
      java.nio.file.Files.deleteIfExists(path);
    } catch (java.io.IOException e) {
      log.warn("cannot remove {} through the mount: {}", path, e.getMessage());
    }
  }
}
