package dev.litefs.core.replication;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the chunked encoding that carries an LTX file inside an LTX frame: chunks of {@code uint16 len}
 * (1..65535) and {@code len} bytes, ended by a zero length. Returns -1 at the end of the chunks without
 * reading past them, so the next frame can be read from the same stream.
 */
final class ChunkedInputStream extends InputStream {
  private final InputStream in;
  private int remaining;
  private boolean done;

  ChunkedInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] b = new byte[1];
    return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!nextChunk()) {
      return -1;
    }
    int n = in.read(b, off, Math.min(len, remaining));
    if (n < 0) {
      throw new EOFException("unexpected EOF inside an LTX chunk (" + remaining + " bytes missing)");
    }
    remaining -= n;
    return n;
  }

  private boolean nextChunk() throws IOException {
    if (done) {
      return false;
    }
    if (remaining == 0) {
      int hi = in.read();
      int lo = in.read();
      if (hi < 0 || lo < 0) {
        throw new EOFException("unexpected EOF reading an LTX chunk length");
      }
      remaining = (hi << 8) | lo;
      if (remaining == 0) {
        done = true;
        return false;
      }
    }
    return true;
  }

  /** Reads and discards the rest of the chunks, so the stream is positioned at the next frame. */
  void drain() throws IOException {
    byte[] buf = new byte[8192];
    while (read(buf, 0, buf.length) >= 0) {
      // Discards what the caller did not read.
    }
  }
}
