package dev.litefs.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a benchmark started (engines, etcd) and created (directories), undone in reverse order at {@link #close()}
 * or, if the JVM is stopped first (Ctrl-C), by a shutdown hook: no engine, mount or etcd outlives the bench.
 */
final class Cleanup implements AutoCloseable {
  private final Deque<AutoCloseable> stack = new ArrayDeque<>();
  private final Thread hook = new Thread(this::closeAll, "litefs-bench-cleanup");
  private boolean closed;

  Cleanup() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers {@code resource} to be closed; returns it. */
  synchronized <T extends AutoCloseable> T add(T resource) {
    stack.push(resource);
    return resource;
  }

  /** Registers a directory to be deleted with everything in it (after what was registered later is closed). */
  synchronized Path deleteLater(Path dir) {
    stack.push(() -> deleteTree(dir));
    return dir;
  }

  @Override
  public void close() {
    closeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs closeAll, which is idempotent.
    }
  }

  private synchronized void closeAll() {
    if (closed) {
      return;
    }
    closed = true;
    while (!stack.isEmpty()) {
      try {
        stack.pop().close();
      } catch (Exception e) {
        System.err.println("litefs-bench: cleanup: " + e);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
