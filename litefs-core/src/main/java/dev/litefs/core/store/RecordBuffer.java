package dev.litefs.core.store;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that one database reuses for every record it appends to its commit log, so a commit
 * allocates nothing for its encoded LTX file. Not thread-safe: used under the database's lock.
 */
final class RecordBuffer extends OutputStream {
  private byte[] buf = new byte[64 * 1024];
  private int size;

  /** Empties the buffer, keeping {@code reserved} bytes at its start for a header written later. */
  void reset(int reserved) {
    size = reserved;
  }

  byte[] array() {
    return buf;
  }

  int size() {
    return size;
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /**
   * Appends what {@code in} holds, up to {@code max} bytes past the reserved ones.
   *
   * @return whether {@code in} ended within them (otherwise the buffer holds the first {@code max} or more)
   */
  boolean readFrom(java.io.InputStream in, int max) throws java.io.IOException {
    int limit = size + max;
    while (size < limit) {
      ensure(Math.min(64 * 1024, limit - size));
      int n = in.read(buf, size, Math.min(buf.length, limit) - size);
      if (n < 0) {
        return true;
      }
      size += n;
    }
    return false;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
    }
  }
}
