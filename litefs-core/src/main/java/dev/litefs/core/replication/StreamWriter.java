package dev.litefs.core.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes frames of a replication stream, byte for byte as LiteFS does. LTX files are written as chunks of
 * at most 65535 bytes, so a stored file of that size or less goes out as one chunk, as LiteFS sends it.
 */
public final class StreamWriter {
  static final int MAX_CHUNK = 65535;

  private final OutputStream out;

  public StreamWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes an LTX frame for {@code db} and the whole of {@code ltx} after it. */
  public void writeLtx(String db, InputStream ltx) throws IOException {
    writeLtxHeader(db);
    byte[] buf = new byte[MAX_CHUNK];
    for (int n; (n = readUpTo(ltx, buf)) > 0; ) {
      writeChunk(buf, 0, n);
    }
    writeChunkEnd();
  }

  /** Writes an LTX frame for {@code db} and the whole of {@code ltx}, chunked as from a stream. */
  public void writeLtx(String db, byte[] ltx) throws IOException {
    writeLtxHeader(db);
    for (int off = 0; off < ltx.length; off += MAX_CHUNK) {
      writeChunk(ltx, off, Math.min(MAX_CHUNK, ltx.length - off));
    }
    writeChunkEnd();
  }

  /**
   * Returns a stream that wraps what is written to it in chunks; closing it writes the end of the chunks,
   * not closing the underlying stream. For encoders that produce a file as they go (snapshots).
   */
  public OutputStream beginLtx(String db) throws IOException {
    writeLtxHeader(db);
    return new ChunkedOutputStream(out);
  }

  private void writeLtxHeader(String db) throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_LTX);
    Wire.writeLong(out, 0); // LiteFS always writes 0 here.
    Wire.writeName(out, db);
  }

  private void writeChunk(byte[] b, int off, int n) throws IOException {
    out.write(n >>> 8);
    out.write(n);
    out.write(b, off, n);
  }

  private void writeChunkEnd() throws IOException {
    out.write(0);
    out.write(0);
  }

  public void writeReady() throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_READY);
  }

  public void writeEnd() throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_END);
  }

  public void writeDropDb(String db) throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_DROP_DB);
    Wire.writeName(out, db);
  }

  public void writeHandoff(String leaseId) throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_HANDOFF);
    byte[] b = leaseId.getBytes(StandardCharsets.UTF_8);
    Wire.writeInt(out, b.length);
    out.write(b);
  }

  public void writeHwm(dev.litefs.core.ltx.Txid txid, String db) throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_HWM);
    Wire.writeLong(out, txid.value());
    Wire.writeName(out, db);
  }

  public void writeHeartbeat(long timestampMillis) throws IOException {
    Wire.writeInt(out, StreamFrame.TYPE_HEARTBEAT);
    Wire.writeLong(out, timestampMillis);
  }

  public void flush() throws IOException {
    out.flush();
  }

  private static int readUpTo(InputStream in, byte[] buf) throws IOException {
    int off = 0;
    while (off < buf.length) {
      int r = in.read(buf, off, buf.length - off);
      if (r < 0) {
        break;
      }
      off += r;
    }
    return off;
  }

  /**
   * Chunks everything written into chunks of {@link #MAX_CHUNK} bytes (the last one shorter), and passes
   * them on {@link #CHUNKS} at a time: each write to the stream below is a frame the server sends and waits
   * for, so a snapshot of 1 GiB costs a few thousand of them rather than one or more per encoder write.
   */
  private static final class ChunkedOutputStream extends OutputStream {
    private static final int CHUNKS = 4;
    private final OutputStream out;
    /** Whole chunks, each its length then its bytes, with room for the end of the chunks after them. */
    private final byte[] buf = new byte[CHUNKS * (2 + MAX_CHUNK) + 2];
    /** Where the current chunk's length goes; its bytes follow. */
    private int start;
    private int used;
    private boolean closed;

    ChunkedOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, MAX_CHUNK - used);
        System.arraycopy(b, off, buf, start + 2 + used, n);
        used += n;
        off += n;
        len -= n;
        if (used == MAX_CHUNK) {
          endChunk();
          if (start + 2 + MAX_CHUNK > CHUNKS * (2 + MAX_CHUNK)) {
            out.write(buf, 0, start);
            start = 0;
          }
        }
      }
    }

    private void endChunk() {
      if (used > 0) {
        buf[start] = (byte) (used >>> 8);
        buf[start + 1] = (byte) used;
        start += 2 + used;
        used = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      endChunk();
      out.write(buf, 0, start);
      start = 0;
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        endChunk();
        buf[start] = 0;
        buf[start + 1] = 0;
        out.write(buf, 0, start + 2);
        start = 0;
      }
    }
  }
}
