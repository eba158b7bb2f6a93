package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An LTX file received from elsewhere, read once and verified completely while it is read: a small file
 * (up to {@link #MEMORY_LIMIT}) into the database's record buffer, behind room for a commit-log record
 * header, so it can be appended to the log and applied from memory; a larger one (a snapshot) into a
 * synced temporary file in the history directory, verified as its bytes pass on the way to the file.
 */
final class ReceivedLtx implements AutoCloseable {
  /** Files up to this size are received in memory. */
  static final int MEMORY_LIMIT = 4 * 1024 * 1024;

  private final LtxFileInfo info;
  private final RecordBuffer buf;
  private final Path tmp;
  private Path file;

  private ReceivedLtx(LtxFileInfo info, RecordBuffer buf, Path tmp) {
    this.info = info;
    this.buf = buf;
    this.tmp = tmp;
    this.file = tmp;
  }

  /**
   * Reads and verifies the whole file from {@code in}.
   *
   * @throws dev.litefs.core.ltx.LtxException if the file is invalid (naming {@code source})
   */
  static ReceivedLtx read(InputStream in, RecordBuffer buf, Path dir, String source) throws IOException {
    buf.reset(LtxLog.HEADER_SIZE);
    if (buf.readFrom(in, MEMORY_LIMIT)) {
      InputStream b = new ByteArrayInputStream(buf.array(), LtxLog.HEADER_SIZE, buf.size() - LtxLog.HEADER_SIZE);
      return new ReceivedLtx(LtxDecoder.verify(b, source), buf, null);
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "receive-", ".ltx" + Durable.TMP_SUFFIX);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 256 * 1024);
      InputStream head = new ByteArrayInputStream(buf.array(), LtxLog.HEADER_SIZE, buf.size() - LtxLog.HEADER_SIZE);
      InputStream tee = new Tee(new java.io.SequenceInputStream(head, in), out);
      LtxFileInfo info = LtxDecoder.verify(new java.io.BufferedInputStream(tee, 256 * 1024), source);
      tee.transferTo(OutputStream.nullOutputStream());
      out.flush();
      ch.force(true);
      return new ReceivedLtx(info, null, tmp);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  LtxFileInfo info() {
    return info;
  }

  /** Whether the file is held in the record buffer, ready to append to the commit log ({@link #record()}). */
  boolean inMemory() {
    return buf != null;
  }

  /** The record buffer holding the file after {@link LtxLog#HEADER_SIZE} bytes; {@link #recordLength()} long. */
  byte[] record() {
    return buf.array();
  }

  int recordLength() {
    return buf.size();
  }

  /** The synced temporary file holding a file received on disk. */
  Path temporaryFile() {
    return tmp;
  }

  /** Notes that the temporary file was renamed into the history as {@code path}. */
  void movedTo(Path path) {
    file = path;
  }

  /** The file's bytes, again. */
  InputStream open() throws IOException {
    if (buf != null) {
      return new ByteArrayInputStream(buf.array(), LtxLog.HEADER_SIZE, buf.size() - LtxLog.HEADER_SIZE);
    }
    return new java.io.BufferedInputStream(Files.newInputStream(file), 256 * 1024);
  }

  /** Deletes the temporary file if it was not moved into the history. */
  @Override
  public void close() throws IOException {
    if (tmp != null) {
      Files.deleteIfExists(tmp);
    }
  }

  /** Copies every byte read to an output stream. */
  private static final class Tee extends FilterInputStream {
    private final OutputStream out;

    Tee(InputStream in, OutputStream out) {
      super(in);
      this.out = out;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        out.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        out.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      int r = n <= 0 ? 0 : read(scratch, 0, scratch.length);
      return Math.max(r, 0);
    }
  }
}
