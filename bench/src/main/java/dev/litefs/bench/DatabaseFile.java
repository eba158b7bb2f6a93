package dev.litefs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** A throw-away database-sized file of random bytes on a local disk, read once so it sits in the page cache. */
final class DatabaseFile implements AutoCloseable {
  private static final int CHUNK = 1 << 20;

  private final Path path;

  private DatabaseFile(Path path) {
    this.path = path;
  }

  /**
   * Creates a file of {@code mib} MiB in {@code dir} and reads it back once to warm the page cache.
   *
   * @throws IOException if {@code dir} lacks the space or the file cannot be written
   */
  static DatabaseFile create(Path dir, int mib) throws IOException {
    long size = (long) mib * CHUNK;
    long usable = Files.getFileStore(dir).getUsableSpace();
    if (usable < size + (256L << 20)) {
      throw new IOException(
          "not enough space in " + dir + " for a " + mib + " MiB file: " + (usable >> 20) + " MiB usable");
    }
    DatabaseFile f = new DatabaseFile(Files.createTempFile(dir, "litefs-bench-", ".db"));
    try {
      f.fill(mib);
      f.readOnce();
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
    return f;
  }

  Path path() {
    return path;
  }

  private void fill(int mib) throws IOException {
    SplittableRandom random = new SplittableRandom(mib);
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      for (int i = 0; i < mib; i++) {
        buf.clear();
        while (buf.hasRemaining()) {
          buf.putLong(random.nextLong());
        }
        buf.flip();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
  }

  private void readOnce() throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      while (ch.read(buf.clear()) >= 0) {
        // Reading is the point: it leaves the file in the page cache.
      }
    }
  }

  /** Deletes the file. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(path);
  }
}
