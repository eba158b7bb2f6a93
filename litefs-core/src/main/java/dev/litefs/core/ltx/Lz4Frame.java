package dev.litefs.core.ltx;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes an LTX page block as one LZ4 frame, byte for byte as {@code LZ4FrameOutputStream} writes it with
 * 64 KiB independent blocks and a content checksum (the frame LiteFS writes), but with buffers that are kept
 * between frames: a commit then allocates nothing for compression, where the stream allocates about 130 KiB
 * per file. Not thread-safe; one frame at a time ({@link #start}, writes, {@link #finish}).
 */
public final class Lz4Frame extends OutputStream {
  private static final int MAGIC = 0x184D2204;
  private static final int BLOCK_SIZE = 64 * 1024;
  /** Version 01, independent blocks, content checksum. */
  private static final int FLG = 0x40 | 0x20 | 0x04;
  /** Maximum block size 64 KiB. */
  private static final int BD = 4 << 4;
  private static final int INCOMPRESSIBLE = 0x80000000;
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final XXHashFactory HASHES = XXHashFactory.fastestInstance();

  private final byte[] block = new byte[BLOCK_SIZE];
  private final byte[] compressed = new byte[COMPRESSOR.maxCompressedLength(BLOCK_SIZE)];
  private final byte[] word = new byte[4];
  private final StreamingXXHash32 content = HASHES.newStreamingHash32(0);
  private OutputStream out;
  private int used;

  /** Begins a frame on {@code out}: writes the frame header. */
  public void start(OutputStream out) throws IOException {
    this.out = out;
    used = 0;
    content.reset();
    writeIntLe(MAGIC);
    byte[] descriptor = {(byte) FLG, (byte) BD};
    int hc = (HASHES.hash32().hash(descriptor, 0, 2, 0) >> 8) & 0xff;
    out.write(descriptor);
    out.write(hc);
  }

  @Override
  public void write(int b) throws IOException {
    word[0] = (byte) b;
    write(word, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, BLOCK_SIZE - used);
      System.arraycopy(b, off, block, used, n);
      used += n;
      off += n;
      len -= n;
      if (used == BLOCK_SIZE) {
        writeBlock();
      }
    }
  }

  /** Ends the frame: the last block, the end mark and the content checksum. Does not close the stream. */
  public void finish() throws IOException {
    writeBlock();
    writeIntLe(0);
    writeIntLe(content.getValue());
    out = null;
  }

  private void writeBlock() throws IOException {
    if (used == 0) {
      return;
    }
    content.update(block, 0, used);
    int n = COMPRESSOR.compress(block, 0, used, compressed, 0, compressed.length);
    if (n >= used) {
      writeIntLe(used | INCOMPRESSIBLE);
      out.write(block, 0, used);
    } else {
      writeIntLe(n);
      out.write(compressed, 0, n);
    }
    used = 0;
  }

  private void writeIntLe(int v) throws IOException {
    word[0] = (byte) v;
    word[1] = (byte) (v >>> 8);
    word[2] = (byte) (v >>> 16);
    word[3] = (byte) (v >>> 24);
    out.write(word, 0, 4);
  }
}
