package dev.litefs.core.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fields LiteFS reads from the 100-byte header of a SQLite database file: page size (offset 16, where
 * 1 means 65536), the file format write and read versions (offsets 18 and 19, both 2 in WAL mode) and the
 * in-header database size in pages (offset 28).
 */
public record DatabaseHeader(int pageSize, int writeVersion, int readVersion, int pageCount) {
  /** Size of the header. */
  public static final int SIZE = 100;

  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  /** Returns {@code true} when the database is in WAL mode (file format versions 2/2). */
  public boolean isWal() {
    return writeVersion == 2 && readVersion == 2;
  }

  /**
   * Parses the header at the start of {@code b}.
   *
   * @throws InvalidDatabaseException if the magic or the page size is wrong
   */
  public static DatabaseHeader parse(byte[] b, int off, int len) throws InvalidDatabaseException {
    if (len < SIZE) {
      throw new InvalidDatabaseException("database header is " + len + " bytes, expected " + SIZE);
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[off + i] != MAGIC[i]) {
        throw new InvalidDatabaseException("not a SQLite database: bad magic in the header");
      }
    }
    int raw = ((b[off + 16] & 0xff) << 8) | (b[off + 17] & 0xff);
    int pageSize = raw == 1 ? 65536 : raw;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0) {
      throw new InvalidDatabaseException("invalid page size in the database header: " + raw);
    }
    int pageCount = ByteBuffer.wrap(b, off + 28, 4).getInt();
    return new DatabaseHeader(pageSize, b[off + 18] & 0xff, b[off + 19] & 0xff, pageCount);
  }

  /**
   * Reads the header of a database file.
   *
   * @throws InvalidDatabaseException if the file is shorter than a header or the header is invalid
   * @throws IOException if the file cannot be read
   */
  public static DatabaseHeader read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(SIZE);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // Reads until the header is full or the file ends.
      }
      try {
        return parse(buf.array(), 0, buf.position());
      } catch (InvalidDatabaseException e) {
        throw new InvalidDatabaseException(file + ": " + e.getMessage());
      }
    }
  }
}
