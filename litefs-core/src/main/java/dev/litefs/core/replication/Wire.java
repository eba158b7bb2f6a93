package dev.litefs.core.replication;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian integers and length-prefixed names, with limits that keep a bad peer from exhausting memory. */
final class Wire {
  /** Longest database name accepted off the wire; names are file names, so 4096 is generous. */
  static final int MAX_NAME = 4096;

  private Wire() {}

  static int readInt(InputStream in, String what) throws IOException {
    byte[] b = readFully(in, 4, what);
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  static long readLong(InputStream in, String what) throws IOException {
    long hi = Integer.toUnsignedLong(readInt(in, what));
    long lo = Integer.toUnsignedLong(readInt(in, what));
    return (hi << 32) | lo;
  }

  static String readName(InputStream in, String what) throws IOException {
    int n = readInt(in, what + " length");
    if (n < 0 || n > MAX_NAME) {
      throw new StreamProtocolException(what + " length " + Integer.toUnsignedString(n) + " exceeds " + MAX_NAME);
    }
    return new String(readFully(in, n, what), StandardCharsets.UTF_8);
  }

  static byte[] readFully(InputStream in, int n, String what) throws IOException {
    byte[] b = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new EOFException("unexpected EOF reading " + what);
      }
      off += r;
    }
    return b;
  }

  static void writeInt(OutputStream out, int v) throws IOException {
    out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  static void writeLong(OutputStream out, long v) throws IOException {
    writeInt(out, (int) (v >>> 32));
    writeInt(out, (int) v);
  }

  static void writeName(OutputStream out, String name) throws IOException {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    writeInt(out, b.length);
    out.write(b);
  }
}
