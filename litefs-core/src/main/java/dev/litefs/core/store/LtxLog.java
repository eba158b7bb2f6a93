package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database's commit log: the LTX files of transactions recorded through the mount, appended one after
 * another to segment files in {@code ltx/log/} ({@link LtxLogSegment}) instead of one file each. Appending
 * costs one {@code pwrite} and no file-system metadata, and one {@code fdatasync} makes every record before
 * it durable, so durability can be deferred to the sync points the mount chooses (ADR 0009).
 *
 * <p>A record is a 28-byte header (magic {@code LTXR}, payload length, min and max TXID, CRC-32C of the
 * other header fields and the payload) and the LTX file's bytes; each record holds one transaction. A segment
 * is synced and sealed (renamed with its last TXID) before the next one starts, so after a crash only an
 * unsealed segment can end in a torn or missing record: opening the log scans it, keeps the records that
 * check out and chain, cuts the rest off, and seals it.
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

  private final Path dir;
  private final long segmentBytes;
  private final TreeMap<Long, LtxLogSegment> segments = new TreeMap<>();
  private LtxLogSegment active;
  private boolean dirty;
  private boolean dirSynced = true;

  private LtxLog(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens the log in {@code dir} (which need not exist): finds the segments, checks every unsealed one
   * record by record (cutting off a torn or unchained tail) and seals it, so appends start a new segment.
   */
  static LtxLog open(Path dir, long segmentBytes) throws IOException {
    LtxLog l = new LtxLog(dir, segmentBytes);
    if (!Files.isDirectory(dir)) {
      return l;
    }
    List<LtxLogSegment> unsealed = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + LtxLogSegment.SUFFIX)) {
      for (Path p : s) {
        LtxLogSegment seg = LtxLogSegment.parse(p);
        if (seg == null) {
          log.warn("ignoring {}: not a commit log segment name", p);
        } else if (seg.isSealed()) {
          l.segments.put(seg.first, seg);
        } else {
          unsealed.add(seg);
        }
      }
    }
    for (LtxLogSegment seg : unsealed) {
      // What survived in the page cache after a process crash is made durable here, before anything is
      // appended after it: a gap in front of later records must not appear after a power loss.
      seg.index(true);
      seg.seal();
      if (seg.size() > 0) {
        l.segments.put(seg.first, seg);
      }
    }
    if (!unsealed.isEmpty()) {
      Durable.syncDirectory(dir);
    }
    if (!l.segments.isEmpty()) {
      // The newest segment holds the position: read it now, so damage shows at start, and cut it to the
      // records that check out, so what follows them is recorded again (from the WAL) rather than lost.
      LtxLogSegment newest = l.segments.lastEntry().getValue();
      if (!newest.cutToIndex()) {
        l.segments.remove(newest.first);
      }
      Durable.syncDirectory(dir);
    }
    return l;
  }

  /**
   * Appends one record whose payload is {@code buf[HEADER_SIZE, len)}; the first {@link #HEADER_SIZE} bytes
   * of {@code buf} are filled in here. A TXID that does not follow the current segment's last starts a new
   * segment. Not durable until {@link #sync()}.
   */
  synchronized void append(Txid txid, byte[] buf, int len) throws IOException {
    if (active != null && (active.end + len > segmentBytes || active.last() + 1 != txid.value())) {
      endSegment();
    }
    if (active == null) {
      Files.createDirectories(dir);
      active = LtxLogSegment.create(dir, txid.value());
      segments.put(active.first, active);
      dirSynced = false;
    }
    ByteBuffer h = ByteBuffer.wrap(buf, 0, HEADER_SIZE);
    h.putInt(0, LtxLogSegment.MAGIC).putInt(4, len - HEADER_SIZE).putLong(8, txid.value()).putLong(16, txid.value());
    CRC32C crc = new CRC32C();
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
    active.add(txid.value(), active.end, len);
    active.end += len;
    dirty = true;
  }

  private static void preallocate(LtxLogSegment s, long to) throws IOException {
    while (s.allocated < to) {
      ByteBuffer z = ZEROS.duplicate();
      z.limit((int) Math.min(z.capacity(), to - s.allocated));
      while (z.hasRemaining()) {
        s.ch.write(z, s.allocated + z.position());
      }
      s.allocated += z.limit();
    }
  }

  /**
   * Takes back the last record appended (its sync failed, so the transaction is not recorded): its header is
   * overwritten with zeros, so that even if its bytes reached the disk, a scan ends before it, and the next
   * record is written in its place.
   */
  synchronized void discardLast() {
    if (active == null || active.size() == 0) {
      return;
    }
    try {
      active.ch.write(ByteBuffer.allocate(HEADER_SIZE), active.lastOffset());
    } catch (IOException e) {
      log.error("commit log segment {}: cannot clear the header of a record whose sync failed: {}", active.path(),
          e.toString());
    }
    active.removeLast();
  }

  /** Whether records were appended since the last {@link #sync()}. */
  synchronized boolean isDirty() {
    return dirty;
  }

  /** Makes every appended record durable: fdatasync of the current segment, and of the directory once. */
  synchronized void sync() throws IOException {
    if (dirty && active != null) {
      active.ch.force(false);
    }
    if (!dirSynced) {
      Durable.syncDirectory(dir);
      dirSynced = true;
    }
    dirty = false;
  }

  /**
   * Ends the current segment (synced and sealed), so that the next record starts a new one. Called when a
   * transaction is recorded outside the log, keeping each segment's TXIDs consecutive.
   */
  synchronized void endSegment() throws IOException {
    if (active != null) {
      LtxLogSegment s = active;
      active = null;
      s.seal();
      if (s.size() == 0) {
        segments.remove(s.first);
      }
      Durable.syncDirectory(dir);
      dirSynced = true;
      dirty = false;
    }
  }

  /** The names of the LTX files held, in TXID order (one transaction each). */
  synchronized List<LtxFileName> names() {
    List<LtxFileName> names = new ArrayList<>();
    for (LtxLogSegment s : segments.values()) {
      for (long t = s.first; t <= s.last(); t++) {
        names.add(LtxFileName.of(Txid.of(t)));
      }
    }
    return names;
  }

  /** The newest record's name, if any. */
  synchronized Optional<LtxFileName> last() {
    for (LtxLogSegment s : segments.descendingMap().values()) {
      if (s.size() > 0) {
        return Optional.of(LtxFileName.of(Txid.of(s.last())));
      }
    }
    return Optional.empty();
  }

  /** Returns the LTX file {@code name} exactly as recorded, or empty if the log does not hold it. */
  synchronized Optional<byte[]> read(LtxFileName name) throws IOException {
    return read(name, Integer.MAX_VALUE);
  }

  /** Returns at most the first {@code max} bytes of LTX file {@code name}, or empty if the log does not hold it. */
  synchronized Optional<byte[]> read(LtxFileName name, int max) throws IOException {
    if (!name.minTxid().equals(name.maxTxid())) {
      return Optional.empty();
    }
    Map.Entry<Long, LtxLogSegment> e = segments.floorEntry(name.minTxid().value());
    if (e == null || e.getValue().last() < name.minTxid().value()) {
      return Optional.empty();
    }
    return Optional.ofNullable(e.getValue().read(name.minTxid().value(), max));
  }

  /**
   * Returns LTX file {@code name} as {@link #read(LtxFileName)} does, after checking the record's CRC-32C:
   * for a stream, which sends the bytes without decoding them again.
   *
   * @throws dev.litefs.core.ltx.LtxException if the record no longer matches its CRC-32C
   */
  synchronized Optional<byte[]> readChecked(LtxFileName name) throws IOException {
    if (!name.minTxid().equals(name.maxTxid())) {
      return Optional.empty();
    }
    Map.Entry<Long, LtxLogSegment> e = segments.floorEntry(name.minTxid().value());
    if (e == null || e.getValue().last() < name.minTxid().value()) {
      return Optional.empty();
    }
    return Optional.ofNullable(e.getValue().readChecked(name.minTxid().value()));
  }

  /**
   * Deletes every sealed segment last written before {@code cutoff}, always keeping the newest segment.
   *
   * @return the number of records deleted
   */
  synchronized int deleteOlderThan(Instant cutoff) throws IOException {
    int deleted = 0;
    Iterator<LtxLogSegment> it = segments.values().iterator();
    while (it.hasNext()) {
      LtxLogSegment s = it.next();
      if (s == active || s == segments.lastEntry().getValue()) {
        break;
      }
      if (Files.getLastModifiedTime(s.path()).toInstant().isBefore(cutoff)) {
        deleted += (int) s.size();
        s.close();
        Files.deleteIfExists(s.path());
        it.remove();
      }
    }
    return deleted;
  }

  /** Deletes every segment (a snapshot replaced the history). */
  synchronized void deleteAll() throws IOException {
    for (LtxLogSegment s : segments.values()) {
      s.close();
      Files.deleteIfExists(s.path());
    }
    segments.clear();
    active = null;
    dirty = false;
    dirSynced = true;
  }

  /**
   * Cuts the log just before the record of {@code txid} (a record whose LTX file does not verify, set
   * aside by recovery): it and every later record are dropped, and appends continue from there.
   */
  synchronized void truncateBefore(Txid txid) throws IOException {
    if (active != null) {
      endSegment();
    }
    Iterator<LtxLogSegment> it = segments.descendingMap().values().iterator();
    while (it.hasNext()) {
      LtxLogSegment s = it.next();
      if (s.first >= txid.value()) {
        s.close();
        Files.deleteIfExists(s.path());
        it.remove();
      } else {
        if (s.last() >= txid.value() && !s.truncateBefore(txid.value())) {
          it.remove();
        }
        break;
      }
    }
    Durable.syncDirectory(dir);
  }

  /** Ends the current segment (synced and sealed) and closes the segments' files. */
  @Override
  public synchronized void close() throws IOException {
    try {
      endSegment();
    } finally {
      for (LtxLogSegment s : segments.values()) {
        s.close();
      }
    }
  }
}
