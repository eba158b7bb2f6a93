package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileName;
import dev.litefs.core.ltx.Txid;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database's LTX files: {@code ltx/%016x-%016x.ltx}, written with {@link Durable}. The newest file
 * holds the database's position, so the history is never emptied by retention.
 */
final class LtxHistory {
  private static final Logger log = LoggerFactory.getLogger(LtxHistory.class);

  private final Path dir;

  LtxHistory(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path path(LtxFileName name) {
    return dir.resolve(name.toString());
  }

  /** Returns the LTX files in TXID order. Other files are ignored. */
  List<LtxFileName> list() throws IOException {
    List<LtxFileName> names = new ArrayList<>();
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

  /** Returns the file whose max TXID is highest. */
  Optional<LtxFileName> last() throws IOException {
    List<LtxFileName> all = list();
    LtxFileName best = null;
    for (LtxFileName n : all) {
      if (best == null || n.maxTxid().compareTo(best.maxTxid()) > 0) {
        best = n;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Returns the file holding exactly transaction {@code txid}, if it is still kept. */
  Optional<Path> fileFor(Txid txid) {
    Path p = path(LtxFileName.of(txid));
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Writes file {@code name} durably. */
  void write(LtxFileName name, Durable.Writer writer) throws IOException {
    Files.createDirectories(dir);
    Durable.write(path(name), writer);
  }

  /** Writes file {@code name}'s complete, synced temporary file; {@link Durable#commit} makes it part of the history. */
  Path writeTemporary(LtxFileName name, Durable.Writer writer) throws IOException {
    Files.createDirectories(dir);
    return Durable.writeTemporary(path(name), writer);
  }

  /** Deletes files left by writes that never completed; they were never part of the history. */
  void removeIncompleteFiles() throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + Durable.TMP_SUFFIX)) {
      for (Path p : s) {
        log.info("removing incomplete LTX file {}", p);
        Files.delete(p);
      }
    }
  }

  /** Deletes every LTX file but {@code keep}; a snapshot makes them useless. */
  void deleteAllExcept(LtxFileName keep) throws IOException {
    List<String> removed = new ArrayList<>();
    for (LtxFileName n : list()) {
      if (!n.equals(keep)) {
        Files.deleteIfExists(path(n));
        removed.add(n.toString());
      }
    }
    if (!removed.isEmpty()) {
      Durable.syncDirectory(dir);
      log.debug("snapshot {} replaces LTX files {}", keep, removed);
    }
  }

  /** Renames a damaged file aside so it is no longer part of the history, keeping it for inspection. */
  Path quarantine(LtxFileName name) throws IOException {
    Path target = dir.resolve(name + ".corrupt");
    Durable.commit(path(name), target);
    return target;
  }

  /**
   * Deletes files last modified before {@code cutoff}, always keeping the newest file.
   *
   * @return how many files were deleted
   */
  int deleteOlderThan(Instant cutoff) throws IOException {
    List<LtxFileName> all = list();
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
    return deleted;
  }
}
