package dev.litefs.core.ltx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Applies LTX files, in order, to a plain database file, as the {@code ltx apply} tool does: each file is
 * verified in full before any of its pages is written, its pre-apply checksum must match the database, and
 * the database's checksum must equal the file's post-apply checksum afterwards. A missing database file is
 * created; a file with commit 0 deletes it.
 *
 * <p>This is for tools and tests working on files outside a mount; the store keeps its checksums
 * incrementally instead of re-reading the database.
 */
public final class LtxApplier {
  private LtxApplier() {}

  /**
   * Applies {@code files} to {@code db} in order.
   *
   * @return the position after the last file
   * @throws PositionMismatchException if a file does not follow the database's current state
   * @throws ChecksumMismatchException if the database's checksum after a file is not the file's
   * @throws LtxException if a file is invalid (the database is untouched by that file)
   * @throws IOException if a file cannot be read or the database written
   */
  public static Pos apply(Path db, List<Path> files) throws IOException {
    Checksum current = Files.exists(db) ? checksumOf(db, files.isEmpty() ? 4096 : pageSizeOf(files.get(0)))
        : Checksum.EMPTY;
    Pos pos = null;
    for (Path file : files) {
      LtxFileInfo info;
      try (InputStream in = open(file)) {
        info = LtxDecoder.verify(in, file.toString());
      }
      LtxHeader h = info.header();
      if (!h.isSnapshot() && !h.preApplyChecksum().equals(current)) {
        throw new PositionMismatchException(file + ": pre-apply checksum " + h.preApplyChecksum()
            + " does not match database checksum " + current + " of " + db, new Pos(Txid.of(h.minTxid().value() - 1), current), h);
      }
      if (h.commit() == 0) {
        Files.deleteIfExists(db);
        current = Checksum.EMPTY;
      } else {
        writePages(db, file, h);
        current = checksumOf(db, h.pageSize());
      }
      if (!current.equals(info.trailer().postApplyChecksum())) {
        throw new ChecksumMismatchException("database checksum " + current + " on TXID " + h.maxTxid()
            + " does not match LTX post-apply checksum " + info.trailer().postApplyChecksum() + " after applying "
            + file + " to " + db, info.trailer().postApplyChecksum(), current);
      }
      pos = info.postApplyPos();
    }
    return pos;
  }

  private static void writePages(Path db, Path file, LtxHeader h) throws IOException {
    try (InputStream in = open(file);
        FileChannel ch = FileChannel.open(db, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      LtxDecoder d = new LtxDecoder(in, file.toString());
      byte[] page = new byte[h.pageSize()];
      ByteBuffer buf = ByteBuffer.wrap(page);
      for (int pgno; (pgno = d.decodePage(page)) != 0; ) {
        buf.clear();
        long pos = (long) (pgno - 1) * h.pageSize();
        while (buf.hasRemaining()) {
          ch.write(buf, pos + buf.position());
        }
      }
      d.finish();
      ch.truncate((long) h.commit() * h.pageSize());
      ch.force(false);
    }
  }

  private static int pageSizeOf(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return new LtxDecoder(in, file.toString()).header().pageSize();
    }
  }

  private static Checksum checksumOf(Path db, int pageSize) throws IOException {
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      return PageChecksums.database(ch, pageSize, ch.size() / pageSize);
    }
  }

  private static InputStream open(Path file) throws IOException {
    return new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
  }
}
