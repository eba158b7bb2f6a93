package dev.litefs.core.testing;

import dev.litefs.core.ltx.LtxHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Simulates in a node's data directory what a power loss can take from a commit log (ADR 0009): records
 * after the last sync. Reads the segment format directly: a 28-byte record header (magic, payload length,
 * min and max TXID, CRC-32C) and the LTX file.
 */
public final class CommitLogs {
  private static final int RECORD_HEADER = 28;

  private CommitLogs() {}

  /**
   * Cuts the commit log of database {@code db} before its first transaction from the WAL generation with
   * salts {@code salt1}/{@code salt2}: the most a power loss can take, since the log is synced before a WAL
   * restarts.
   *
   * @return how many records were cut off
   */
  public static int cutBeforeWalGeneration(Path dataDir, String db, int salt1, int salt2) throws IOException {
    List<Path> segments;
    try (Stream<Path> s = Files.list(dataDir.resolve("dbs").resolve(db).resolve("ltx").resolve("log"))) {
      segments = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    int cut = 0;
    boolean cutting = false;
    for (Path seg : segments) {
      if (cutting) {
        cut += count(seg);
        Files.delete(seg);
        continue;
      }
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        for (long at = 0; at + RECORD_HEADER + LtxHeader.SIZE <= ch.size(); ) {
          ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER + LtxHeader.SIZE);
          ch.read(h, at);
          LtxHeader lh = LtxHeader.decode(h.array(), RECORD_HEADER);
          if (lh.walSize() > 0 && lh.walSalt1() == salt1 && lh.walSalt2() == salt2) {
            cut += count(seg) - countBefore(ch, at);
            ch.truncate(at);
            cutting = true;
            break;
          }
          at += RECORD_HEADER + h.getInt(4);
        }
      }
    }
    return cut;
  }

  /** The salts of a WAL file's header: {salt1, salt2}. */
  public static int[] walSalts(Path wal) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wal));
    return new int[] {b.getInt(16), b.getInt(20)};
  }

  private static int count(Path seg) throws IOException {
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
      return countBefore(ch, ch.size());
    }
  }

  private static int countBefore(FileChannel ch, long end) throws IOException {
    int n = 0;
    ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER);
    for (long at = 0; at + RECORD_HEADER <= end; n++) {
      h.clear();
      ch.read(h, at);
      at += RECORD_HEADER + h.getInt(4);
    }
    return n;
  }
}
