package dev.litefs.bench;

import dev.litefs.core.ltx.Crc64;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The table-driven CRC-64/GO-ISO (slicing by 8 over little-endian long loads) that {@link Crc64} replaced,
 * kept as the benchmark's baseline so the gain stays measurable (ADR 0001).
 */
final class SlicingBy8 {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** {@code T[k][b]}: the CRC register for byte {@code b} followed by {@code k} zero bytes. */
  private static final long[][] T = tables();

  private SlicingBy8() {}

  static long checksum(byte[] b, int off, int len) {
    final long[] t0 = T[0], t1 = T[1], t2 = T[2], t3 = T[3];
    final long[] t4 = T[4], t5 = T[5], t6 = T[6], t7 = T[7];
    long c = -1L;
    int i = off;
    final int end = off + len;
    for (; end - i >= 8; i += 8) {
      long x = c ^ (long) LONG_LE.get(b, i);
      c = t7[(int) x & 0xff] ^ t6[(int) (x >>> 8) & 0xff]
          ^ t5[(int) (x >>> 16) & 0xff] ^ t4[(int) (x >>> 24) & 0xff]
          ^ t3[(int) (x >>> 32) & 0xff] ^ t2[(int) (x >>> 40) & 0xff]
          ^ t1[(int) (x >>> 48) & 0xff] ^ t0[(int) (x >>> 56) & 0xff];
    }
    for (; i < end; i++) {
      c = t0[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
    }
    return ~c;
  }

  private static long[][] tables() {
    long[][] t = new long[8][256];
    for (int v = 0; v < 256; v++) {
      long c = v;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ Crc64.ISO_POLY : c >>> 1;
      }
      t[0][v] = c;
    }
    for (int k = 1; k < 8; k++) {
      for (int v = 0; v < 256; v++) {
        long prev = t[k - 1][v];
        t[k][v] = t[0][(int) prev & 0xff] ^ (prev >>> 8);
      }
    }
    return t;
  }
}
