package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.Txid;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file of an {@link LtxLog}: records of consecutive TXIDs, one transaction each. While records are
 * appended it is named {@code %016x.log} (its first TXID); once it ends it is synced and renamed
 * {@code %016x-%016x.log} (first and last TXID), so that listing the log needs no reading of sealed segments.
 * The index of a segment (each record's TXID, offset and length) is built when it is first read. Not
 * thread-safe: the log serialises access.
 */
final class LtxLogSegment {
  private static final Logger log = LoggerFactory.getLogger(LtxLogSegment.class);
  static final int MAGIC = 0x4c545852; // "LTXR"
  static final String SUFFIX = ".log";

  final long first;
  private Path path;
  /** The last TXID: from the name of a sealed segment, else from the index. */
  private long last;
  private boolean sealed;
  FileChannel ch;
  private boolean indexed;
  /** The end of the last record. */
  long end;
  /** How far the file is written (records, then preallocated zeros); appends stay within it. */
  long allocated;
  private int count;
  private long[] txid = new long[16];
  private long[] off = new long[16];
  private int[] len = new int[16];

  private LtxLogSegment(long first, long last, Path path, boolean sealed) {
    this.first = first;
    this.last = last;
    this.path = path;
    this.sealed = sealed;
  }

  /** A new, empty segment for records from {@code first}, open for appending. */
  static LtxLogSegment create(Path dir, long first) throws IOException {
    Path p = dir.resolve(String.format("%016x", first) + SUFFIX);
    LtxLogSegment s = new LtxLogSegment(first, first - 1, p, false);
    s.ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    s.indexed = true;
    return s;
  }

  /** The segment a file name describes, or {@code null} if it is not a segment name. */
  static LtxLogSegment parse(Path p) {
    String n = p.getFileName().toString();
    if (!n.endsWith(SUFFIX)) {
      return null;
    }
    String[] parts = n.substring(0, n.length() - SUFFIX.length()).split("-");
    try {
      long first = Long.parseUnsignedLong(parts[0], 16);
      if (parts.length == 1) {
        return new LtxLogSegment(first, first - 1, p, false);
      }
      if (parts.length == 2) {
        return new LtxLogSegment(first, Long.parseUnsignedLong(parts[1], 16), p, true);
      }
    } catch (NumberFormatException e) {
      // not ours
    }
    return null;
  }

  Path path() {
    return path;
  }

  boolean isSealed() {
    return sealed;
  }

  /** The last TXID held ({@code first - 1} when empty). */
  long last() {
    return last;
  }

  /** The number of records. */
  long size() {
    return last - first + 1;
  }

  FileChannel channel() throws IOException {
    if (ch == null) {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    }
    return ch;
  }

  void add(long t, long offset, int length) {
    if (count == txid.length) {
      int n = count * 2;
      txid = Arrays.copyOf(txid, n);
      off = Arrays.copyOf(off, n);
      len = Arrays.copyOf(len, n);
    }
    txid[count] = t;
    off[count] = offset;
    len[count] = length;
    count++;
    last = t;
  }

  /** Drops the last record from the index (its bytes stay until overwritten). */
  void removeLast() {
    count--;
    end = off[count];
    last = count == 0 ? first - 1 : txid[count - 1];
  }

  /** The offset of the last record's header. */
  long lastOffset() {
    return off[count - 1];
  }

  /**
   * Reads record {@code t}'s payload, or at most its first {@code max} bytes; returns {@code null} if this
   * segment does not hold it.
   */
  byte[] read(long t, int max) throws IOException {
    index(false);
    int i = Arrays.binarySearch(txid, 0, count, t);
    if (i < 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.min(max, len[i] - LtxLog.HEADER_SIZE));
    readFully(channel(), b, off[i] + LtxLog.HEADER_SIZE);
    return b.array();
  }

  /**
   * Reads record {@code t}'s payload after checking the whole record (magic, TXIDs, CRC-32C); returns
   * {@code null} if this segment does not hold it.
   *
   * @throws LtxException if the record does not check out: its bytes changed since it was appended
   */
  byte[] readChecked(long t) throws IOException {
    index(false);
    int i = Arrays.binarySearch(txid, 0, count, t);
    if (i < 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(len[i]);
    readFully(channel(), b, off[i]);
    byte[] r = b.array();
    CRC32C crc = new CRC32C();
    crc.update(r, 4, 20);
    crc.update(r, LtxLog.HEADER_SIZE, r.length - LtxLog.HEADER_SIZE);
    if (b.getInt(0) != MAGIC || b.getLong(8) != t || b.getLong(16) != t || (int) crc.getValue() != b.getInt(24)) {
      throw new LtxException("commit log segment " + path + ": record of TXID " + Txid.of(t)
          + " does not match its CRC-32C");
    }
    return Arrays.copyOfRange(r, LtxLog.HEADER_SIZE, r.length);
  }

  /**
   * Ends the segment: cuts the preallocated zeros, syncs it and renames it with its last TXID. An empty
   * segment is deleted instead. The caller syncs the directory.
   */
  void seal() throws IOException {
    if (count == 0 && indexed) {
      close();
      Files.deleteIfExists(path);
      return;
    }
    if (ch != null && ch.isOpen() && allocated > end) {
      ch.truncate(end);
      allocated = end;
    }
    if (ch != null && ch.isOpen()) {
      ch.force(false);
    }
    Path sealedPath = path.resolveSibling(String.format("%016x-%016x", first, last) + SUFFIX);
    Files.move(path, sealedPath, StandardCopyOption.ATOMIC_MOVE);
    close(); // reopened for reading under its new name when needed
    path = sealedPath;
    sealed = true;
  }

  /**
   * Cuts the segment just before record {@code t} (it and everything after are dropped), renaming it if it
   * is sealed; returns {@code false} if it is left empty and was deleted.
   */
  boolean truncateBefore(long t) throws IOException {
    index(false);
    int i = Arrays.binarySearch(txid, 0, count, t);
    if (i < 0) {
      return count > 0;
    }
    try (FileChannel w = FileChannel.open(path, StandardOpenOption.WRITE)) {
      w.truncate(off[i]);
      w.force(false);
    }
    count = i;
    end = i == 0 ? 0 : off[i - 1] + len[i - 1];
    allocated = end;
    last = i == 0 ? first - 1 : txid[i - 1];
    close();
    if (count == 0) {
      Files.deleteIfExists(path);
      return false;
    }
    if (sealed) {
      Path renamed = path.resolveSibling(String.format("%016x-%016x", first, last) + SUFFIX);
      Files.move(path, renamed, StandardCopyOption.ATOMIC_MOVE);
      path = renamed;
    }
    return true;
  }

  /**
   * Reads the records that check out and chain from the start of the file into the index. With
   * {@code repair} (an unsealed segment after a crash), whatever follows them is cut off and the file is
   * synced, so it ends at its last good record.
   */
  void index(boolean repair) throws IOException {
    if (indexed) {
      return;
    }
    FileChannel c = repair ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE) : channel();
    try {
      long size = c.size();
      ByteBuffer h = ByteBuffer.allocate(LtxLog.HEADER_SIZE);
      long at = 0;
      long expect = first;
      while (at + LtxLog.HEADER_SIZE <= size) {
        h.clear();
        readFully(c, h, at);
        int length = h.getInt(4);
        long mn = h.getLong(8);
        if (h.getInt(0) != MAGIC || length < 0 || at + LtxLog.HEADER_SIZE + length > size || mn != expect
            || h.getLong(16) != mn) {
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(c, payload, at + LtxLog.HEADER_SIZE);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 4, 20);
        crc.update(payload.array(), 0, length);
        if ((int) crc.getValue() != h.getInt(24)) {
          break;
        }
        add(mn, at, LtxLog.HEADER_SIZE + length);
        at += LtxLog.HEADER_SIZE + length;
        expect = mn + 1;
      }
      end = at;
      allocated = size;
      if (repair) {
        if (at < size) {
          if (zeros(c, at, size)) {
            log.debug("commit log segment {}: dropping {} preallocated bytes after the last record", path, size - at);
          } else {
            log.warn("commit log segment {}: cutting off {} bytes after the last complete record (TXID {})", path,
                size - at, count == 0 ? "none" : Txid.of(last));
          }
          c.truncate(at);
          allocated = at;
        }
        c.force(false);
      } else {
        long scanned = count == 0 ? first - 1 : txid[count - 1];
        if (at < size || scanned != last) {
          // A sealed segment was synced before it was renamed: this is damage, not a crash. Serve what checks out.
          log.warn("commit log segment {}: records end at byte {} of {}, at TXID {}", path, at, size,
              count == 0 ? "none" : Txid.of(scanned));
          last = scanned;
        }
      }
    } finally {
      if (repair) {
        c.close();
      }
    }
    indexed = true;
  }

  /**
   * Makes a sealed segment whose records end early (damage found by {@link #index}) end at its last good
   * record, renamed to match, so that the records after it can be recorded again; returns {@code false} if
   * none is left and it was deleted.
   */
  boolean cutToIndex() throws IOException {
    index(false);
    Path named = path.resolveSibling(String.format("%016x-%016x", first, last) + SUFFIX);
    if (named.equals(path)) {
      return true;
    }
    close();
    if (count == 0) {
      Files.deleteIfExists(path);
      return false;
    }
    try (FileChannel w = FileChannel.open(path, StandardOpenOption.WRITE)) {
      w.truncate(end);
      w.force(false);
    }
    Files.move(path, named, StandardCopyOption.ATOMIC_MOVE);
    path = named;
    return true;
  }

  void close() {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", path, e.toString());
      }
      ch = null;
    }
  }

  private static boolean zeros(FileChannel c, long from, long to) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    for (long at = from; at < to; at += b.capacity()) {
      b.clear().limit((int) Math.min(b.capacity(), to - at));
      readFully(c, b, at);
      for (int i = 0; i < b.limit(); i++) {
        if (b.get(i) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  static void readFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      if (c.read(b, pos + b.position()) < 0) {
        throw new EOFException("unexpected end of file at byte " + (pos + b.position()));
      }
    }
  }
}
