package dev.litefs.core.ltx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * CRC-64 with the ISO polynomial exactly as Go's {@code hash/crc64} computes it with {@code crc64.ISO}
 * (CRC-64/GO-ISO: reflected polynomial {@code 0xD800000000000000}, init and xorout all ones).
 * LTX file checksums and the rolling database checksum are built on it.
 *
 * <p>Like Go's {@code crc64.Update}, {@link #update(long, byte[], int, int)} takes and returns a finished
 * checksum, so a checksum over several pieces is {@code update(update(0, a), b)}. All methods are static,
 * allocate nothing and are safe to call from any thread.
 *
 * <p>How it is fast (ADR 0001): the ISO polynomial {@code x^64 + x^4 + x^3 + x + 1} is so sparse that
 * advancing the CRC register over 8 bytes, a multiplication by {@code x^64} modulo the polynomial, takes
 * two shifts, three XORs and one lookup in a 16-entry table instead of the eight lookups of
 * slicing-by-8. That step is a chain of dependent instructions, so each 1 KiB block is split into four
 * 256-byte lanes that run interleaved in one loop and are recombined with a precomputed "advance by 256
 * bytes" operator.
 */
public final class Crc64 {
  /** The reflected ISO polynomial, as Go's {@code crc64.ISO}. */
  public static final long ISO_POLY = 0xD800000000000000L;

  private static final VarHandle ARRAY_LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BUFFER_LONG_LE =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Bytes per lane; four lanes make a block. Measured best of 128..1024 (ADR 0001). */
  private static final int LANE = 256;
  private static final int BLOCK = 4 * LANE;

  /**
   * {@code OVERFLOW[n]}: the part of {@code a * x^64 mod P} that the shifts in {@link #advance8} cannot
   * produce, which depends only on the low four bits {@code n} of the register {@code a}.
   */
  private static final long[] OVERFLOW = buildOverflow();

  /** {@code ADVANCE_LANE[k][v]}: register byte {@code k} holding {@code v}, advanced over one lane of zeros. */
  private static final long[][] ADVANCE_LANE = buildAdvanceLane();

  /** {@link Shift}s by length, built once each: LTX pages of one size share one. */
  private static final java.util.concurrent.ConcurrentHashMap<Integer, Shift> SHIFTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Crc64() {}

  /**
   * Continuing a checksum over a piece of a fixed length whose own checksum is already known:
   * {@code update(crc, piece) == shift.concat(crc, update(0, piece))}. With init and xorout all ones the
   * complements cancel, so what is left is the register advanced over that many zero bytes, which is
   * linear: eight lookups. The LTX codecs use it to get a page's checksum and the file checksum from one
   * pass over the page.
   */
  public static final class Shift {
    private final long[][] table = new long[8][256];

    private Shift(int length) {
      for (int k = 0; k < 8; k++) {
        for (int v = 0; v < 256; v++) {
          long c = (long) v << (8 * k);
          for (int j = 0; j + 8 <= length; j += 8) {
            c = advance8(c);
          }
          for (int j = 0; j < length % 8; j++) {
            c = advance1(c);
          }
          table[k][v] = c;
        }
      }
    }

    /** The shift over pieces of {@code length} bytes. */
    public static Shift of(int length) {
      return SHIFTS.computeIfAbsent(length, Shift::new);
    }

    /** {@code update(crc, piece)} for the piece whose checksum {@code update(0, piece)} is {@code pieceCrc}. */
    public long concat(long crc, long pieceCrc) {
      final long[][] t = table;
      return (t[0][(int) crc & 0xff] ^ t[1][(int) (crc >>> 8) & 0xff])
          ^ (t[2][(int) (crc >>> 16) & 0xff] ^ t[3][(int) (crc >>> 24) & 0xff])
          ^ (t[4][(int) (crc >>> 32) & 0xff] ^ t[5][(int) (crc >>> 40) & 0xff])
          ^ (t[6][(int) (crc >>> 48) & 0xff] ^ t[7][(int) (crc >>> 56) & 0xff])
          ^ pieceCrc;
    }
  }

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
    Objects.checkFromIndexSize(off, len, b.length);
    long c = ~crc;
    int i = off;
    final int end = off + len;
    for (; end - i >= BLOCK; i += BLOCK) {
      long l0 = c, l1 = 0, l2 = 0, l3 = 0;
      for (int j = i, laneEnd = i + LANE; j < laneEnd; j += 8) {
        l0 = advance8(l0 ^ (long) ARRAY_LONG_LE.get(b, j));
        l1 = advance8(l1 ^ (long) ARRAY_LONG_LE.get(b, j + LANE));
        l2 = advance8(l2 ^ (long) ARRAY_LONG_LE.get(b, j + 2 * LANE));
        l3 = advance8(l3 ^ (long) ARRAY_LONG_LE.get(b, j + 3 * LANE));
      }
      c = combine(l0, l1, l2, l3);
    }
    for (; end - i >= 8; i += 8) {
      c = advance8(c ^ (long) ARRAY_LONG_LE.get(b, i));
    }
    for (; i < end; i++) {
      c = advance1(c ^ (b[i] & 0xff));
    }
    return ~c;
  }

  /**
   * Continues {@code crc} over the remaining bytes of {@code buf} (heap, direct or read-only), consuming
   * them: the position moves to the limit. The buffer's byte order does not matter.
   */
  public static long update(long crc, ByteBuffer buf) {
    int pos = buf.position();
    int lim = buf.limit();
    long r;
    if (buf.hasArray()) {
      r = update(crc, buf.array(), buf.arrayOffset() + pos, lim - pos);
    } else {
      r = updateBuffer(crc, buf, pos, lim);
    }
    buf.position(lim);
    return r;
  }

  /** Continues {@code crc} over the four big-endian bytes of {@code v}. */
  public static long updateInt(long crc, int v) {
    long c = ~crc ^ (Integer.reverseBytes(v) & 0xFFFF_FFFFL);
    // Advancing by 4 bytes moves the low 32 bits out of the register; they come back reduced by Q.
    return ~((c >>> 32) ^ timesQ(c << 32));
  }

  /** The same loops as the array version over absolute indexes of a buffer that has no array. */
  private static long updateBuffer(long crc, ByteBuffer b, int start, int end) {
    long c = ~crc;
    int i = start;
    for (; end - i >= BLOCK; i += BLOCK) {
      long l0 = c, l1 = 0, l2 = 0, l3 = 0;
      for (int j = i, laneEnd = i + LANE; j < laneEnd; j += 8) {
        l0 = advance8(l0 ^ (long) BUFFER_LONG_LE.get(b, j));
        l1 = advance8(l1 ^ (long) BUFFER_LONG_LE.get(b, j + LANE));
        l2 = advance8(l2 ^ (long) BUFFER_LONG_LE.get(b, j + 2 * LANE));
        l3 = advance8(l3 ^ (long) BUFFER_LONG_LE.get(b, j + 3 * LANE));
      }
      c = combine(l0, l1, l2, l3);
    }
    for (; end - i >= 8; i += 8) {
      c = advance8(c ^ (long) BUFFER_LONG_LE.get(b, i));
    }
    for (; i < end; i++) {
      c = advance1(c ^ (b.get(i) & 0xff));
    }
    return ~c;
  }

  /*
   * The register is reflected: bit 63 holds the coefficient of x^0 and bit 0 that of x^63, so a
   * multiplication by x^k is a right shift by k, and the bits shifted out stand for x^64 and above.
   * Modulo P, x^64 = Q = 1 + x + x^3 + x^4 = (1 + x)(1 + x^3).
   */

  /** Multiplies {@code h} by Q, dropping terms of degree 64 and above (none when h's low 4 bits are 0). */
  private static long timesQ(long h) {
    long t = h ^ (h >>> 1);
    return t ^ (t >>> 3);
  }

  /** Advances the register over 8 bytes whose value was already XORed in: {@code a * x^64 mod P}. */
  private static long advance8(long a) {
    return timesQ(a) ^ OVERFLOW[(int) a & 15];
  }

  /** Advances the register over 1 byte whose value was already XORed in: {@code c * x^8 mod P}. */
  private static long advance1(long c) {
    return (c >>> 8) ^ timesQ(c << 56);
  }

  /** Joins four lanes that each covered {@link #LANE} consecutive bytes into one register. */
  private static long combine(long l0, long l1, long l2, long l3) {
    return advanceLane(advanceLane(advanceLane(l0) ^ l1) ^ l2) ^ l3;
  }

  /** Advances the register over {@link #LANE} zero bytes; the map is linear, so it goes byte by byte. */
  private static long advanceLane(long c) {
    final long[][] t = ADVANCE_LANE;
    return (t[0][(int) c & 0xff] ^ t[1][(int) (c >>> 8) & 0xff])
        ^ (t[2][(int) (c >>> 16) & 0xff] ^ t[3][(int) (c >>> 24) & 0xff])
        ^ (t[4][(int) (c >>> 32) & 0xff] ^ t[5][(int) (c >>> 40) & 0xff])
        ^ (t[6][(int) (c >>> 48) & 0xff] ^ t[7][(int) (c >>> 56) & 0xff]);
  }

  private static long[] buildOverflow() {
    long[] t = new long[16];
    for (int n = 0; n < 16; n++) {
      long full = n;
      for (int bit = 0; bit < 64; bit++) {
        full = (full & 1) != 0 ? (full >>> 1) ^ ISO_POLY : full >>> 1;
      }
      t[n] = full ^ timesQ(n);
    }
    return t;
  }

  private static long[][] buildAdvanceLane() {
    long[][] t = new long[8][256];
    for (int k = 0; k < 8; k++) {
      for (int v = 0; v < 256; v++) {
        long c = (long) v << (8 * k);
        for (int j = 0; j < LANE; j += 8) {
          c = advance8(c);
        }
        t[k][v] = c;
      }
    }
    return t;
  }
}
