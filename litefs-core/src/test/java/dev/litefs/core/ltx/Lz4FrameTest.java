package dev.litefs.core.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reusable frame writer produces exactly the bytes of lz4-java's frame stream, frame after frame. */
class Lz4FrameTest {
  static byte[] viaStream(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LZ4FrameOutputStream s = new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
      s.write(data);
    }
    return out.toByteArray();
  }

  static byte[] viaFrame(Lz4Frame f, byte[] data, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.start(out);
    for (int i = 0; i < data.length; i += chunk) {
      f.write(data, i, Math.min(chunk, data.length - i));
    }
    f.finish();
    return out.toByteArray();
  }

  static byte[] data(int size, boolean compressible, long seed) {
    byte[] b = new byte[size];
    Random r = new Random(seed);
    if (compressible) {
      for (int i = 0; i < size; i++) {
        b[i] = (byte) (i % 97 < 80 ? 0 : r.nextInt(4));
      }
    } else {
      r.nextBytes(b);
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 4100, 65536, 65540, 200_000, 1 << 20})
  void matchesLz4FrameOutputStreamForCompressibleAndRandomBytes(int size) throws IOException {
    Lz4Frame f = new Lz4Frame();
    for (boolean compressible : new boolean[] {true, false}) {
      for (int chunk : new int[] {4, 4096, 100_000}) {
        byte[] d = data(size, compressible, size + chunk);
        assertThat(viaFrame(f, d, chunk)).as("%d bytes, compressible %s, chunks of %d", size, compressible, chunk)
            .isEqualTo(viaStream(d));
      }
    }
  }
}
