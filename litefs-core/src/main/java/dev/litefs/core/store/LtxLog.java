package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database's commit log: the LTX files of transactions recorded through the mount, appended one after
 * another to segment files {@code ltx/log/%016x.log} (named by their first TXID) instead of one file each.
 * Appending costs one {@code pwrite} and no file-system metadata, and one {@code fdatasync} makes every
 * record before it durable, so durability can be deferred to the sync points the mount chooses (ADR 0007).
 *
 * <p>A record is a 28-byte header (magic {@code LTXR}, payload length, min and max TXID, CRC-32C of the
 * other header fields and the payload) and the LTX file's bytes. A segment holds consecutive TXIDs. A
 * segment is synced before the next one is started, so after a crash only the newest segment can end in a
 * torn or missing record: opening the log scans it, keeps the records that check out and chain, and cuts
 * the rest off. Older segments are indexed when first read.
 *
 * <p>Thread-safe: the owning database appends and syncs under its lock; streams read records from other
 * threads.
 */
final class LtxLog implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(LtxLog.class);
  /** A new segment is started once the current one holds this many bytes. */
  static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  static final int HEADER_SIZE = 28;
  /**
   * Zeros are written this far ahead of the records, so that a sync flushes record bytes into blocks the
   * file system has already allocated, without a journal commit for the file's size on every sync.
   */
  static final int PREALLOCATE = 1 << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PREALLOCATE).asReadOnlyBuffer();
  private static final int MAGIC = 0x4c545852; // "LTXR"
  private static final String SUFFIX = ".log";

  private final Path dir;
  private final long segmentBytes;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private Segment active;
  private boolean dirty;
  private boolean dirSynced = true;

  private LtxLog(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens the log in {@code dir} (which need not exist): finds the segments, and checks the newest one
   * record by record, cutting off a torn or unchained tail so that appends continue after the last good
   * record.
   */
  static LtxLog open(Path dir, long segmentBytes) throws IOException {
    LtxLog l = new LtxLog(dir, segmentBytes);
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
        for (Path p : s) {
          String n = p.getFileName().toString();
          try {
            long first = Long.parseUnsignedLong(n.substring(0, n.length() - SUFFIX.length()), 16);
            l.segments.put(first, new Segment(first, p));
          } catch (NumberFormatException e) {
            log.warn("ignoring {}: not a commit log segment name", p);
          }
        }
      }
    }
    if (!l.segments.isEmpty()) {
      Segment newest = l.segments.lastEntry().getValue();
      newest.index(true);
      if (newest.count == 0) {
        // Created, but its first record never became durable: nothing was recorded in it.
        newest.close();
        Files.delete(newest.path);
        l.segments.remove(newest.first);
      }
      // What survived in the page cache after a process crash is made durable now: later segments are
      // synced on their own, and a gap in front of them must not appear after a power loss.
      Durable.syncDirectory(dir);
    }
    return l;
  }

  /** The segment directory. */
  Path dir() {
    return dir;
  }

  /**
   * Appends one record whose payload is {@code buf[HEADER_SIZE, len)}; the first {@link #HEADER_SIZE} bytes
   * of {@code buf} are filled in here. Not durable until {@link #sync()}.
   *
   * @throws IllegalArgumentException if {@code minTxid} does not follow the log's last TXID in this segment
   */
  synchronized void append(Txid minTxid, Txid maxTxid, byte[] buf, int len) throws IOException {
    if (active != null && (active.end + len > segmentBytes || active.lastTxid + 1 != minTxid.value())) {
      endSegment();
    }
    if (active == null) {
      Files.createDirectories(dir);
      Path p = dir.resolve(String.format("%016x", minTxid.value()) + SUFFIX);
      Segment s = new Segment(minTxid.value(), p);
      s.ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
      s.indexed = true;
      segments.put(s.first, s);
      active = s;
      dirSynced = false;
    }
    ByteBuffer h = ByteBuffer.wrap(buf, 0, HEADER_SIZE);
    h.putInt(0, MAGIC).putInt(4, len - HEADER_SIZE).putLong(8, minTxid.value()).putLong(16, maxTxid.value());
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(buf, 4, 20);
    crc.update(buf, HEADER_SIZE, len - HEADER_SIZE);
    h.putInt(24, (int) crc.getValue());
    if (active.end + len > active.allocated) {
      preallocate(active, Math.max(active.end + len, Math.min(active.allocated + PREALLOCATE, segmentBytes)));
    }
    ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
    while (b.hasRemaining()) {
      active.ch.write(b, active.end + b.position());
    }
    active.add(minTxid.value(), maxTxid.value(), active.end, len);
    active.end += len;
    dirty = true;
  }

  /**
   * Takes back the last record appended (its sync failed, so the transaction is not recorded): its header is
   * overwritten with zeros, so that even if its bytes reached the disk, a scan ends before it, and the next
   * record is written in its place.
   */
  synchronized void discardLast() {
    if (active == null || active.count == 0) {
      return;
    }
    int i = active.count - 1;
    try {
      active.ch.write(ByteBuffer.allocate(HEADER_SIZE), active.off[i]);
    } catch (IOException e) {
      log.error("commit log segment {}: cannot clear the header of a record whose sync failed: {}", active.path,
          e.toString());
    }
    active.end = active.off[i];
    active.count = i;
    active.lastTxid = i == 0 ? active.first - 1 : active.max[i - 1];
  }

  private static void preallocate(Segment s, long to) throws IOException {
    while (s.allocated < to) {
      ByteBuffer z = ZEROS.duplicate();
      z.limit((int) Math.min(z.capacity(), to - s.allocated));
      while (z.hasRemaining()) {
        s.ch.write(z, s.allocated + z.position());
      }
      s.allocated += z.limit();
    }
  }

  /** Whether records were appended since the last {@link #sync()}. */
  synchronized boolean isDirty() {
    return dirty;
  }

  /** Makes every appended record durable: fdatasync of the newest segment, and of the directory once. */
  synchronized void sync() throws IOException {
    if (!dirty && dirSynced) {
      return;
    }
    if (active != null) {
      active.ch.force(false);
    }
    if (!dirSynced) {
      Durable.syncDirectory(dir);
      dirSynced = true;
    }
    dirty = false;
  }

  /**
   * Ends the current segment (synced first), so that the next record starts a new one. Called when a
   * transaction is recorded outside the log, keeping each segment's TXIDs consecutive.
   */
  synchronized void endSegment() throws IOException {
    if (active != null) {
      active.ch.truncate(active.end);
      dirty = true;
      sync();
      active = null;
    }
  }

  /** The names of the LTX files held, in TXID order (indexing older segments if needed). */
  synchronized List<LtxFileName> names() throws IOException {
    List<LtxFileName> names = new ArrayList<>();
    for (Segment s : segments.values()) {
      s.index(false);
      for (int i = 0; i < s.count; i++) {
        names.add(new LtxFileName(Txid.of(s.min[i]), Txid.of(s.max[i])));
      }
    }
    return names;
  }

  /** The newest record's name, if any. */
  synchronized Optional<LtxFileName> last() {
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    Segment s = segments.lastEntry().getValue();
    int i = s.count - 1;
    return Optional.of(new LtxFileName(Txid.of(s.min[i]), Txid.of(s.max[i])));
  }

  /** Returns the LTX file {@code name} exactly as recorded, or empty if the log does not hold it. */
  synchronized Optional<byte[]> read(LtxFileName name) throws IOException {
    Map.Entry<Long, Segment> e = segments.floorEntry(name.minTxid().value());
    if (e == null) {
      return Optional.empty();
    }
    Segment s = e.getValue();
    s.index(false);
    int i = s.find(name.minTxid().value());
    if (i < 0 || s.max[i] != name.maxTxid().value()) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.allocate(s.len[i] - HEADER_SIZE);
    while (b.hasRemaining()) {
      if (s.channel().read(b, s.off[i] + HEADER_SIZE + b.position()) < 0) {
        throw new IOException("commit log segment " + s.path + " ended inside the record of " + name);
      }
    }
    return Optional.of(b.array());
  }

  /**
   * Deletes every segment but the newest whose last write is older than {@code cutoff}.
   *
   * @return the number of records deleted
   */
  synchronized int deleteOlderThan(Instant cutoff) throws IOException {
    int deleted = 0;
    Iterator<Segment> it = segments.values().iterator();
    while (it.hasNext()) {
      Segment s = it.next();
      if (s == segments.lastEntry().getValue()) {
        break;
      }
      FileTime mtime = Files.getLastModifiedTime(s.path);
      if (mtime.toInstant().isBefore(cutoff)) {
        s.index(false);
        deleted += s.count;
        s.close();
        Files.deleteIfExists(s.path);
        it.remove();
      }
    }
    return deleted;
  }

  /** Deletes every segment (a snapshot replaced the history). */
  synchronized void deleteAll() throws IOException {
    for (Segment s : segments.values()) {
      s.close();
      Files.deleteIfExists(s.path);
    }
    segments.clear();
    active = null;
    dirty = false;
    dirSynced = true;
  }

  /**
   * Cuts the log just before the record of {@code txid} (a record whose LTX file does not verify, set
   * aside by recovery), so appends continue from there.
   */
  synchronized void truncateBefore(Txid txid) throws IOException {
    Map.Entry<Long, Segment> e = segments.floorEntry(txid.value());
    if (e == null) {
      return;
    }
    Segment s = e.getValue();
    s.index(false);
    int i = s.find(txid.value());
    if (i < 0) {
      return;
    }
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.WRITE)) {
      ch.truncate(s.off[i]);
      ch.force(false);
    }
    s.count = i;
    s.end = i == 0 ? 0 : s.off[i - 1] + s.len[i - 1];
    if (active == s) {
      active = null;
    }
    if (i == 0) {
      s.close();
      Files.deleteIfExists(s.path);
      segments.remove(s.first);
    }
  }

  /** Ends the current segment (synced, without its preallocated zeros) and closes the segments' files. */
  @Override
  public synchronized void close() throws IOException {
    try {
      endSegment();
    } finally {
      for (Segment s : segments.values()) {
        s.close();
      }
    }
  }

  /** One segment file and, once read, its index: each record's TXIDs, offset and length. */
  private static final class Segment {
    final long first;
    final Path path;
    FileChannel ch;
    boolean indexed;
    long end;
    /** How far the file is written (records, then zeros); appends stay within it. */
    long allocated;
    long lastTxid;
    int count;
    long[] min = new long[16];
    long[] max = new long[16];
    long[] off = new long[16];
    int[] len = new int[16];

    Segment(long first, Path path) {
      this.first = first;
      this.path = path;
      this.lastTxid = first - 1;
    }

    FileChannel channel() throws IOException {
      if (ch == null) {
        ch = FileChannel.open(path, StandardOpenOption.READ);
      }
      return ch;
    }

    void add(long mn, long mx, long offset, int length) {
      if (count == min.length) {
        int n = count * 2;
        min = java.util.Arrays.copyOf(min, n);
        max = java.util.Arrays.copyOf(max, n);
        off = java.util.Arrays.copyOf(off, n);
        len = java.util.Arrays.copyOf(len, n);
      }
      min[count] = mn;
      max[count] = mx;
      off[count] = offset;
      len[count] = length;
      count++;
      lastTxid = mx;
    }

    int find(long txid) {
      return java.util.Arrays.binarySearch(min, 0, count, txid);
    }

    /**
     * Reads the records that check out and chain from the start of the file; with {@code repair}, cuts
     * off whatever follows them (a record torn by a crash), so the file ends at the last good record.
     */
    void index(boolean repair) throws IOException {
      if (indexed) {
        return;
      }
      FileChannel c = repair ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE) : channel();
      try {
        long size = c.size();
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        long at = 0;
        long expect = first;
        while (at + HEADER_SIZE <= size) {
          h.clear();
          readFully(c, h, at);
          int length = h.getInt(4);
          long mn = h.getLong(8);
          long mx = h.getLong(16);
          if (h.getInt(0) != MAGIC || length < 0 || at + HEADER_SIZE + length > size || mn != expect || mx < mn) {
            break;
          }
          ByteBuffer payload = ByteBuffer.allocate(length);
          readFully(c, payload, at + HEADER_SIZE);
          java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
          crc.update(h.array(), 4, 20);
          crc.update(payload.array(), 0, length);
          if ((int) crc.getValue() != h.getInt(24)) {
            break;
          }
          add(mn, mx, at, HEADER_SIZE + length);
          at += HEADER_SIZE + length;
          expect = mx + 1;
        }
        end = at;
        if (repair && at < size) {
          if (zeros(c, at, size)) {
            log.debug("commit log segment {}: dropping the {} preallocated bytes after the last record", path, size - at);
          } else {
            log.warn("commit log segment {}: cutting off {} bytes after the last complete record (TXID {})", path,
                size - at, count == 0 ? "none" : Txid.of(lastTxid));
          }
          c.truncate(at);
        } else if (at < size) {
          log.warn("commit log segment {}: records end at byte {} of {}", path, at, size);
        }
        if (repair) {
          c.force(false);
        }
      } finally {
        if (repair) {
          c.close();
        }
      }
      indexed = true;
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

    private static void readFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
      while (b.hasRemaining()) {
        if (c.read(b, pos + b.position()) < 0) {
          throw new java.io.EOFException("unexpected end of " + pos);
        }
      }
    }
  }
}
