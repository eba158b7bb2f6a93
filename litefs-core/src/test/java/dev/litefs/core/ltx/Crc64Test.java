package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
  private static final long SEED = 0x5EED_C64L;

  /** CRC-64/GO-ISO one bit at a time, straight from the definition. */
  static long reference(long crc, byte[] b, int off, int len) {
    long c = ~crc;
    for (int i = off; i < off + len; i++) {
      c ^= b[i] & 0xff;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0xD800000000000000L : c >>> 1;
      }
    }
    return ~c;
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Test
  void checkValueMatchesGoCrc64Iso() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

    assertThat(Crc64.checksum(check)).isEqualTo(0xb90956c775a41001L);
    assertThat(reference(0, check, 0, check.length)).isEqualTo(0xb90956c775a41001L);
  }

  @Test
  void emptyInputLeavesTheChecksumUnchanged() {
    assertThat(Crc64.checksum(new byte[0])).isZero();
    assertThat(Crc64.update(0x1234_5678_9abc_def0L, new byte[3], 1, 0)).isEqualTo(0x1234_5678_9abc_def0L);
  }

  @Test
  void equalsBitwiseReferenceForEveryLengthUpTo1100AtSeveralOffsets() {
    byte[] b = randomBytes(new Random(SEED), 1100 + 16);
    for (int off : new int[] {0, 1, 3, 7, 8, 13}) {
      for (int len = 0; len <= 1100; len++) {
        assertThat(Crc64.checksum(b, off, len)).as("off %d len %d", off, len).isEqualTo(reference(0, b, off, len));
      }
    }
  }

  @Test
  void equalsBitwiseReferenceForLargeRandomBuffers() {
    Random r = new Random(SEED);
    for (int round = 0; round < 20; round++) {
      byte[] b = randomBytes(r, 1 + r.nextInt(200_000));
      int off = r.nextInt(Math.min(b.length, 64));
      int len = r.nextInt(b.length - off + 1);
      long start = r.nextLong();

      assertThat(Crc64.update(start, b, off, len))
          .as("off %d len %d", off, len)
          .isEqualTo(reference(start, b, off, len));
    }
  }

  @Test
  void equalsBitwiseReferenceAroundBlockMultiples() {
    byte[] b = randomBytes(new Random(SEED), 5000);
    for (int blocks = 1; blocks <= 4; blocks++) {
      for (int len = blocks * 1024 - 9; len <= blocks * 1024 + 9; len++) {
        assertThat(Crc64.checksum(b, 5, len)).as("len %d", len).isEqualTo(reference(0, b, 5, len));
      }
    }
  }

  @Test
  void incrementalUpdatesInRandomSplitsEqualOneUpdate() {
    Random r = new Random(SEED);
    byte[] b = randomBytes(r, 70_000);
    long whole = Crc64.checksum(b);
    for (int round = 0; round < 50; round++) {
      long crc = 0;
      int i = 0;
      while (i < b.length) {
        int n = Math.min(b.length - i, r.nextInt(round % 2 == 0 ? 20 : 5000));
        crc = Crc64.update(crc, b, i, n);
        i += n;
      }
      assertThat(crc).as("round %d", round).isEqualTo(whole);
    }
  }

  @Test
  void updateIntEqualsUpdateOverTheFourBigEndianBytes() {
    Random r = new Random(SEED);
    for (int round = 0; round < 1000; round++) {
      long crc = r.nextLong();
      int v = round < 4 ? new int[] {0, -1, 1, Integer.MIN_VALUE}[round] : r.nextInt();
      byte[] be = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array();

      assertThat(Crc64.updateInt(crc, v)).as("crc %x v %x", crc, v).isEqualTo(Crc64.update(crc, be, 0, 4));
    }
  }

  @Test
  void heapBufferVariantEqualsArrayVariantAndConsumesTheBuffer() {
    byte[] b = randomBytes(new Random(SEED), 10_000);
    ByteBuffer slice = ByteBuffer.wrap(b, 100, 9000).slice(); // arrayOffset 100
    slice.position(11).limit(8011);

    long crc = Crc64.update(0, slice);

    assertThat(crc).isEqualTo(Crc64.checksum(b, 111, 8000));
    assertThat(slice.position()).isEqualTo(8011);
    assertThat(slice.hasRemaining()).isFalse();
  }

  @Test
  void directBufferVariantEqualsArrayVariantForManyLengths() {
    Random r = new Random(SEED);
    byte[] b = randomBytes(r, 12_000);
    ByteBuffer direct = ByteBuffer.allocateDirect(b.length).put(b).order(ByteOrder.BIG_ENDIAN);
    for (int round = 0; round < 300; round++) {
      int pos = r.nextInt(40);
      int len = round < 100 ? round : r.nextInt(b.length - pos);
      long start = r.nextLong();
      direct.clear().position(pos).limit(pos + len);

      assertThat(Crc64.update(start, direct)).as("pos %d len %d", pos, len).isEqualTo(Crc64.update(start, b, pos, len));
      assertThat(direct.position()).isEqualTo(pos + len);
    }
  }

  @Test
  void readOnlyBufferVariantEqualsArrayVariant() {
    byte[] b = randomBytes(new Random(SEED), 5000);
    ByteBuffer ro = ByteBuffer.wrap(b).asReadOnlyBuffer();
    ro.position(3);

    assertThat(Crc64.update(7, ro)).isEqualTo(Crc64.update(7, b, 3, b.length - 3));
  }

  @Test
  void rejectsARangeOutsideTheArray() {
    assertThatThrownBy(() -> Crc64.checksum(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Crc64.checksum(new byte[10], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aPieceOfKnownChecksumContinuesAChecksumAsReadingItWould() {
    Random r = new Random(SEED);
    for (int length : new int[] {0, 1, 7, 8, 9, 516, 4100, 65540}) {
      Crc64.Shift shift = Crc64.Shift.of(length);
      for (int i = 0; i < 20; i++) {
        byte[] head = randomBytes(r, r.nextInt(300));
        byte[] piece = randomBytes(r, length);
        long crc = Crc64.checksum(head);

        assertThat(shift.concat(crc, Crc64.checksum(piece))).as("length %d", length)
            .isEqualTo(Crc64.update(crc, piece, 0, length));
      }
    }
  }
}
