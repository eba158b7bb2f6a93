package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An LTX file received from elsewhere, read once and verified completely while it is read: a small file
 * (up to {@link #MEMORY_LIMIT}) into the database's record buffer, behind room for a commit-log record
 * header, so it can be appended to the log and applied from memory; a larger one (a snapshot) into a
 * temporary file in the history directory ({@link DirectFileOutput}: past the page cache, from a thread of
 * its own), verified as its bytes pass on the way to the file, and synced unless the caller makes it durable
 * later (a replica's stream, ADR 0010, 0014).
 */
final class ReceivedLtx implements AutoCloseable {
  /** Files up to this size are received in memory. */
  static final int MEMORY_LIMIT = 4 * 1024 * 1024;

  private final LtxFileInfo info;
  private final RecordBuffer buf;
  private final Path tmp;
  private final SnapshotDatabase database;
  private Path file;

  private ReceivedLtx(LtxFileInfo info, RecordBuffer buf, Path tmp, SnapshotDatabase database) {
    this.info = info;
    this.buf = buf;
    this.tmp = tmp;
    this.database = database;
    this.file = tmp;
  }

  /** What becomes of a large file's pages as they are received: a new database file, or nothing. */
  @FunctionalInterface
  interface PageTarget {
    /** A database file to build from the file with header {@code h}, or {@code null}. */
    SnapshotDatabase forHeader(LtxHeader h) throws IOException;
  }

  /**
   * Reads and verifies the whole file from {@code in}; a file received on disk also has its pages written to
   * what {@code target} gives for its header, if anything, and is synced if {@code sync}.
   *
   * @throws dev.litefs.core.ltx.LtxException if the file is invalid (naming {@code source})
   */
  static ReceivedLtx read(InputStream in, RecordBuffer buf, Path dir, String source, PageTarget target,
      boolean sync) throws IOException {
    buf.reset(LtxLog.HEADER_SIZE);
    if (buf.readFrom(in, MEMORY_LIMIT)) {
      InputStream b = new ByteArrayInputStream(buf.array(), LtxLog.HEADER_SIZE, buf.size() - LtxLog.HEADER_SIZE);
      return new ReceivedLtx(LtxDecoder.verify(b, source), buf, null, null);
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "receive-", ".ltx" + Durable.TMP_SUFFIX);
    SnapshotDatabase database = null;
    DirectFileOutput out = null;
    try {
      out = new DirectFileOutput(tmp, sync);
      InputStream head = new ByteArrayInputStream(buf.array(), LtxLog.HEADER_SIZE, buf.size() - LtxLog.HEADER_SIZE);
      InputStream tee = new Tee(new java.io.SequenceInputStream(head, in), out);
      LtxDecoder d = new LtxDecoder(new java.io.BufferedInputStream(tee, 256 * 1024), source);
      database = target == null ? null : target.forHeader(d.header());
      byte[] page = new byte[d.header().pageSize()];
      for (int pgno; (pgno = d.decodePage(page)) != 0; ) {
        if (database != null) {
          database.page(pgno, page, d.pageChecksum());
        }
      }
      LtxFileInfo info = new LtxFileInfo(d.header(), d.finish());
      tee.transferTo(OutputStream.nullOutputStream());
      out.close();
      if (database != null) {
        database.finish(info.header().commit());
      }
      return new ReceivedLtx(info, null, tmp, database);
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        try {
          out.abort();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      if (database != null) {
        database.close();
      }
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * Brings {@code db}'s database file to this file's post-apply state: by installing the database file built
   * while it was received, else by writing its pages ({@link PageApplier}). The caller holds the lock and
   * has stored the file in the history as {@code name}.
   */
  void apply(Database db, LtxFileName name, DatabaseFileWriter.Session held, boolean durable) throws IOException {
    if (database != null && database.install(db, info)) {
      return;
    }
    try (InputStream pages = open()) {
      PageApplier.apply(db, name, info, held, pages, durable);
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

  /** The temporary file holding a file received on disk. */
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

  /** Deletes the temporary files that did not become part of the history or the database. */
  @Override
  public void close() throws IOException {
    if (database != null) {
      database.close();
    }
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
