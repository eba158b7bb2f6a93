package dev.litefs.core.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over the
 * target, fsync the directory. After a crash the target is either absent (or its old version) or whole;
 * a leftover {@code *.tmp} file is never read and is removed at the next start.
 */
final class Durable {
  /** Suffix of files being written; they are incomplete by definition. */
  static final String TMP_SUFFIX = ".tmp";

  private Durable() {}

  /** Writes through a callback into a temporary file. */
  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Atomically creates or replaces {@code target} with what {@code writer} writes. */
  static void write(Path target, Writer writer) throws IOException {
    commit(writeTemporary(target, writer), target);
  }

  /** Writes and syncs the temporary file for {@code target}; {@link #commit} makes it the target. */
  static Path writeTemporary(Path target, Writer writer) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
      writer.write(out);
      out.flush();
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /** Renames a complete, synced temporary file over {@code target} and syncs the directory. */
  static void commit(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /** Makes a directory's entries (creations, renames, deletions) durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
