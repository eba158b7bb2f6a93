package dev.litefs.core.ltx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * CRC-64 with the ISO polynomial exactly as Go's {@code hash/crc64} computes it with {@code crc64.ISO}
 * (CRC-64/GO-ISO: reflected polynomial {@code 0xD800000000000000}, init and xorout all ones).
 * LTX file checksums and the rolling database checksum are built on it.
 *
 * <p>Like Go's {@code crc64.Update}, {@link #update(long, byte[], int, int)} takes and returns a finished
 * checksum, so a checksum over several pieces is {@code update(update(0, a), b)}.
 *
 * <p>The JDK has no CRC-64, so this is a table-driven implementation (slicing by 8 over little-endian long
 * loads). Its throughput is measured by the {@code bench} module against the JDK's CRC32C.
 */
public final class Crc64 {
  /** The reflected ISO polynomial, as Go's {@code crc64.ISO}. */
  public static final long ISO_POLY = 0xD800000000000000L;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** {@code TABLES[k][b]}: the CRC of byte {@code b} followed by {@code k} zero bytes. */
  private static final long[][] TABLES = buildTables(8);

  private Crc64() {}

  /** Returns the checksum of {@code len} bytes of {@code b} starting at {@code off}. */
  public static long checksum(byte[] b, int off, int len) {
    return update(0L, b, off, len);
  }

  /** Returns the checksum of the whole array. */
  public static long checksum(byte[] b) {
    return update(0L, b, 0, b.length);
  }

  /**
   * Continues {@code crc} (a finished checksum, 0 for none) over {@code len} bytes of {@code b}.
   *
   * @throws IndexOutOfBoundsException if the range is outside {@code b}
   */
  public static long update(long crc, byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    long c = ~crc;
    final long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
    final long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
    int i = off;
    final int end = off + len;
    while (end - i >= 8) {
      long x = c ^ (long) LONG_LE.get(b, i);
      c = t7[(int) x & 0xff]
          ^ t6[(int) (x >>> 8) & 0xff]
          ^ t5[(int) (x >>> 16) & 0xff]
          ^ t4[(int) (x >>> 24) & 0xff]
          ^ t3[(int) (x >>> 32) & 0xff]
          ^ t2[(int) (x >>> 40) & 0xff]
          ^ t1[(int) (x >>> 48) & 0xff]
          ^ t0[(int) (x >>> 56) & 0xff];
      i += 8;
    }
    while (i < end) {
      c = t0[(int) (c ^ b[i++]) & 0xff] ^ (c >>> 8);
    }
    return ~c;
  }

  /** Continues {@code crc} over the remaining bytes of {@code buf}, consuming them. */
  public static long update(long crc, ByteBuffer buf) {
    if (buf.hasArray()) {
      int n = buf.remaining();
      long r = update(crc, buf.array(), buf.arrayOffset() + buf.position(), n);
      buf.position(buf.limit());
      return r;
    }
    byte[] chunk = new byte[Math.min(buf.remaining(), 64 * 1024)];
    long r = crc;
    while (buf.hasRemaining()) {
      int n = Math.min(chunk.length, buf.remaining());
      buf.get(chunk, 0, n);
      r = update(r, chunk, 0, n);
    }
    return r;
  }

  /** Continues {@code crc} over the four big-endian bytes of {@code v}. */
  public static long updateInt(long crc, int v) {
    long c = ~crc;
    final long[] t0 = TABLES[0];
    c = t0[(int) (c ^ (v >>> 24)) & 0xff] ^ (c >>> 8);
    c = t0[(int) (c ^ (v >>> 16)) & 0xff] ^ (c >>> 8);
    c = t0[(int) (c ^ (v >>> 8)) & 0xff] ^ (c >>> 8);
    c = t0[(int) (c ^ v) & 0xff] ^ (c >>> 8);
    return ~c;
  }

  private static long[][] buildTables(int n) {
    long[][] t = new long[n][256];
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ ISO_POLY : c >>> 1;
      }
      t[0][i] = c;
    }
    for (int i = 0; i < 256; i++) {
      for (int k = 1; k < n; k++) {
        long prev = t[k - 1][i];
        t[k][i] = t[0][(int) prev & 0xff] ^ (prev >>> 8);
      }
    }
    return t;
  }
}
