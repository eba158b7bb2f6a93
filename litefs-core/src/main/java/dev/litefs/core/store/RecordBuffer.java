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

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
    }
  }
}
