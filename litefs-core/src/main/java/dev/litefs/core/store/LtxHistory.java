package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.LtxHeader;
import dev.litefs.core.ltx.Txid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database's LTX history, in two places: standalone files {@code ltx/%016x-%016x.ltx}, written with
 * {@link Durable} (received files, snapshots, transactions recorded outside the mount), and the commit log
 * {@code ltx/log/} ({@link LtxLog}), where the mount's transactions are appended. Together they are one
 * chain of TXIDs; each transaction is in exactly one of them. The newest transaction holds the database's
 * position, so the history is never emptied by retention.
 */
final class LtxHistory {
  private static final Logger log = LoggerFactory.getLogger(LtxHistory.class);

  private final Path dir;
  private volatile boolean dirExists;
  private LtxLog commitLog;

  LtxHistory(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The path of standalone file {@code name} (which may not exist). */
  Path path(LtxFileName name) {
    return dir.resolve(name.toString());
  }

  /** The commit log, opened (and its tail checked) on first use. */
  synchronized LtxLog log() throws IOException {
    if (commitLog == null) {
      commitLog = LtxLog.open(dir.resolve("log"), LtxLog.DEFAULT_SEGMENT_BYTES);
    }
    return commitLog;
  }

  /** Returns every transaction's file name, standalone or logged, in TXID order. Other files are ignored. */
  List<LtxFileName> list() throws IOException {
    TreeSet<LtxFileName> names = new TreeSet<>(files());
    names.addAll(log().names());
    return new ArrayList<>(names);
  }

  /** The standalone files only, in TXID order. */
  List<LtxFileName> files() throws IOException {
    List<LtxFileName> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (LtxFileName.matches(n)) {
          names.add(LtxFileName.parse(n));
        }
      }
    }
    Collections.sort(names);
    return names;
  }

  /** Returns the name whose max TXID is highest, standalone or logged. */
  Optional<LtxFileName> last() throws IOException {
    LtxFileName best = log().last().orElse(null);
    for (LtxFileName n : files()) {
      if (best == null || n.maxTxid().compareTo(best.maxTxid()) > 0) {
        best = n;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Reads the header of {@code name}, wherever it is held, without reading the rest.
   *
   * @throws dev.litefs.core.ltx.LtxException if it is not a valid LTX header (a file cut short, for one)
   */
  LtxHeader header(LtxFileName name) throws IOException {
    Path p = path(name);
    byte[] b;
    if (Files.exists(p)) {
      try (InputStream in = Files.newInputStream(p)) {
        b = in.readNBytes(LtxHeader.SIZE);
      }
    } else {
      b = log().read(name, LtxHeader.SIZE).orElseThrow(() ->
          new java.nio.file.NoSuchFileException(p.toString(), null, "not in the LTX history"));
    }
    if (b.length < LtxHeader.SIZE) {
      throw new dev.litefs.core.ltx.LtxException(p + ": LTX header cut short (" + b.length + " of "
          + LtxHeader.SIZE + " bytes)");
    }
    return LtxHeader.decode(b, 0);
  }

  /** Opens the bytes of {@code name}, wherever it is held. */
  InputStream open(LtxFileName name) throws IOException {
    Path p = path(name);
    if (Files.exists(p)) {
      return Files.newInputStream(p);
    }
    Optional<byte[]> b = log().read(name);
    if (b.isEmpty()) {
      throw new java.nio.file.NoSuchFileException(p.toString(), null, "not in the LTX history");
    }
    return new ByteArrayInputStream(b.get());
  }

  /**
   * Returns transaction {@code txid} as held, if it is still kept: the commit log's record (checked against
   * its CRC-32C) or the standalone file.
   *
   * @throws dev.litefs.core.ltx.LtxException if the logged record no longer matches its CRC-32C
   */
  Optional<StoredLtx> stored(Txid txid) throws IOException {
    LtxFileName name = LtxFileName.of(txid);
    Optional<byte[]> logged = log().readChecked(name);
    if (logged.isPresent()) {
      return Optional.of(StoredLtx.logged(logged.get()));
    }
    Path p = path(name);
    return Files.isRegularFile(p) ? Optional.of(StoredLtx.file(p)) : Optional.empty();
  }

  /**
   * Writes standalone file {@code name} durably. The commit log is synced and its segment ended first, so
   * the history stays one chain on disk whatever survives a crash.
   */
  void write(LtxFileName name, Durable.Writer writer) throws IOException {
    commit(writeTemporary(name, writer), name);
  }

  /** Writes file {@code name}'s complete, synced temporary file; {@link #commit} makes it part of the history. */
  Path writeTemporary(LtxFileName name, Durable.Writer writer) throws IOException {
    if (!dirExists) {
      Files.createDirectories(dir);
      dirExists = true;
    }
    return Durable.writeTemporary(path(name), writer);
  }

  /** Makes a temporary file from {@link #writeTemporary} file {@code name} of the history, after the logged ones. */
  void commit(Path tmp, LtxFileName name) throws IOException {
    // A standalone file follows the log's records, so the open segment ends first (it is durable then).
    log().endSegment();
    Durable.commit(tmp, path(name));
  }

  /** Deletes files left by writes that never completed (they were never part of the history). */
  void removeIncompleteFiles() throws IOException {
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + Durable.TMP_SUFFIX)) {
        for (Path p : s) {
          log.info("removing incomplete LTX file {}", p);
          Files.delete(p);
        }
      }
    }
  }

  /** Deletes every LTX file and logged transaction but standalone file {@code keep}; a snapshot makes them useless. */
  void deleteAllExcept(LtxFileName keep) throws IOException {
    List<String> removed = new ArrayList<>();
    for (LtxFileName n : files()) {
      if (!n.equals(keep)) {
        Files.deleteIfExists(path(n));
        removed.add(n.toString());
      }
    }
    log().deleteAll();
    if (!removed.isEmpty()) {
      Durable.syncDirectory(dir);
      log.debug("snapshot {} replaces LTX files {}", keep, removed);
    }
  }

  /**
   * Sets a damaged transaction aside so it is no longer part of the history, keeping its bytes for
   * inspection: a standalone file is renamed, a logged one is copied out and the log cut before it.
   */
  Path quarantine(LtxFileName name) throws IOException {
    Path target = dir.resolve(name + ".corrupt");
    if (Files.exists(path(name))) {
      Durable.commit(path(name), target);
      return target;
    }
    Optional<byte[]> b = log().read(name);
    if (b.isPresent()) {
      Durable.write(target, out -> out.write(b.get()));
    }
    log().truncateBefore(name.minTxid());
    return target;
  }

  /**
   * Deletes standalone files last modified before {@code cutoff}, always keeping the newest one, and log
   * segments last written before it, always keeping the newest.
   *
   * @return how many transactions were deleted
   */
  int deleteOlderThan(Instant cutoff) throws IOException {
    List<LtxFileName> all = files();
    int deleted = 0;
    for (int i = 0; i < all.size() - 1; i++) {
      Path p = path(all.get(i));
      FileTime mtime;
      try {
        mtime = Files.getLastModifiedTime(p);
      } catch (java.nio.file.NoSuchFileException e) {
        continue;
      }
      if (mtime.toInstant().isBefore(cutoff)) {
        Files.deleteIfExists(p);
        deleted++;
      }
    }
    deleted += log().deleteOlderThan(cutoff);
    return deleted;
  }

  /** Closes the commit log, syncing it. */
  synchronized void close() throws IOException {
    if (commitLog != null) {
      try {
        commitLog.close();
      } finally {
        commitLog = null;
      }
    }
  }
}
