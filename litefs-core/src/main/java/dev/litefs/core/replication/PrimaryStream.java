package dev.litefs.core.replication;

import dev.litefs.core.ltx.LtxDecoder;
import dev.litefs.core.ltx.LtxException;
import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.ltx.Txid;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.Store;
import dev.litefs.core.store.StoredLtx;
import dev.litefs.core.store.TxListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of one replica's {@code /stream}: catches the replica up from the positions it sent,
 * then follows every commit, as LiteFS's {@code handlePostStream} does.
 *
 * <p>For each database it sends the stored LTX files after the replica's position, each followed by an HWM
 * frame; it sends a snapshot instead when the replica is new, behind the retained history, ahead of the
 * primary, or at the same TXID with another checksum (diverged). After the first pass it sends Ready, then
 * a heartbeat every second while nothing changes.
 */
public final class PrimaryStream implements AutoCloseable {
  /** How often an idle stream sends a heartbeat (LiteFS's {@code HeartbeatInterval}). */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(PrimaryStream.class);

  private final Store store;
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final Predicate<String> filter;
  private final Map<String, Pos> client;
  private final DirtySet dirty = new DirtySet();
  private final TxListener listener;
  private volatile boolean stopped;
  private volatile String handoffLeaseId;

  /**
   * Starts following the store's commits (before anything is read, so none is missed).
   *
   * @param clientPositions the replica's positions, from its position map
   * @param filter which databases to stream ({@code null} for all)
   */
  public PrimaryStream(Store store, Clock clock, Duration heartbeatInterval, Map<String, Pos> clientPositions,
      Set<String> filter) {
    this.store = store;
    this.clock = clock;
    this.heartbeatInterval = heartbeatInterval;
    this.filter = filter == null || filter.isEmpty() ? n -> true : filter::contains;
    this.client = new TreeMap<>(clientPositions);
    this.listener = (db, tx) -> {
      if (this.filter.test(db.name())) {
        dirty.mark(db.name());
      }
    };
    store.addListener(listener);
  }

  /**
   * Ends the stream with an End frame after one final pass over every database. Call it once the node has
   * stopped recording commits, so the final pass sends every transaction that was acknowledged.
   */
  public void stop() {
    stopped = true;
    dirty.wakeUp();
  }

  /** Ends the stream like {@link #stop()}, but with a Handoff frame carrying {@code leaseId}. */
  public void handoff(String leaseId) {
    handoffLeaseId = leaseId;
    dirty.wakeUp();
  }

  /**
   * Streams until {@link #stop()} or {@link #handoff(String)}, or until writing fails (the replica went
   * away: the exception is thrown).
   */
  public void run(OutputStream out) throws IOException, InterruptedException {
    // Frames are built from many small writes; unbuffered, each would be its own HTTP/2 DATA frame (and
    // socket write), and the replica's reader would wake for each. A pass goes out at its flush below.
    StreamWriter w = new StreamWriter(new BufferedOutputStream(out, 64 * 1024));
    // The response's headers go out now: the replica counts as connected from them on, even while the first
    // pass waits (a snapshot waits for SQLite's locks on the primary's database).
    w.flush();
    Set<String> pass = everyDatabase();
    boolean first = true;
    while (true) {
      // Read before the pass: the pass that ends the stream starts after the node stopped recording.
      String handoff = handoffLeaseId;
      boolean last = handoff != null || stopped;
      if (last) {
        pass = everyDatabase();
      }
      for (String name : pass) {
        streamDatabase(w, name);
      }
      if (first) {
        w.writeReady();
      }
      if (first || pass.isEmpty()) {
        w.writeHeartbeat(clock.millis());
      }
      first = false;
      if (last) {
        if (handoff != null) {
          w.writeHandoff(handoff);
        } else {
          w.writeEnd();
        }
        w.flush();
        return;
      }
      w.flush();
      if (handoffLeaseId == null && !stopped) {
        pass = dirty.await(heartbeatInterval.toMillis());
      }
    }
  }

  /** The databases this stream covers: the replica's and the primary's, within the filter. */
  private Set<String> everyDatabase() {
    Set<String> all = new LinkedHashSet<>(client.keySet());
    for (Database db : store.databases()) {
      all.add(db.name());
    }
    all.removeIf(filter.negate());
    return all;
  }

  private void streamDatabase(StreamWriter w, String name) throws IOException {
    Optional<Database> found = store.database(name);
    if (found.isEmpty()) {
      w.writeDropDb(name);
      client.remove(name);
      return;
    }
    Database db = found.get();
    Pos at = client.getOrDefault(name, Pos.ZERO);
    Pos primary = db.pos();
    if (at.txid().compareTo(primary.txid()) > 0) {
      log.info("client transaction id ({}) exceeds primary transaction id ({}), clearing client position", at.txid(),
          primary.txid());
      at = Pos.ZERO;
    } else if (at.txid().equals(primary.txid()) && !at.equals(primary)) {
      log.info("client checksum for {} at txid {} differs from primary ({} != {}), clearing client position", name,
          at.txid(), at.postApplyChecksum(), primary.postApplyChecksum());
      at = Pos.ZERO;
    }
    while (at.txid().compareTo(db.pos().txid()) < 0) {
      at = streamNext(w, db, at);
    }
    client.put(name, at);
  }

  /**
   * Sends what follows {@code at}: the recorded file for the next TXID if it chains, else a snapshot. A
   * commit-log record goes out as it is held (checked against its CRC-32C, not decoded again); a standalone
   * file is verified first.
   */
  private Pos streamNext(StreamWriter w, Database db, Pos at) throws IOException {
    Txid next = at.txid().next();
    Optional<StoredLtx> stored = next.value() == 1 ? Optional.empty() : stored(db, next);
    if (stored.isPresent()) {
      StoredLtx s = stored.get();
      LtxFileInfo info = s.bytes() != null ? s.loggedInfo() : verify(s.file());
      if (info != null && info.header().preApplyChecksum().equals(at.postApplyChecksum())) {
        if (s.bytes() != null) {
          w.writeLtx(db.name(), s.bytes());
        } else {
          try (InputStream in = s.open()) {
            w.writeLtx(db.name(), in);
          }
        }
        w.writeHwm(Txid.ZERO, db.name());
        return info.postApplyPos();
      }
      if (info != null) {
        log.info("client preapply checksum mismatch for txid {}, writing snapshot", next);
      }
    }
    log.info("writing snapshot {} @ {}", db.name(), db.pos().txid());
    LtxFileInfo snap;
    try (OutputStream body = w.beginLtx(db.name())) {
      snap = db.writeSnapshot(body);
    }
    return snap.postApplyPos();
  }

  private static Optional<StoredLtx> stored(Database db, Txid txid) throws IOException {
    try {
      return db.storedLtx(txid);
    } catch (LtxException e) {
      log.warn("not streaming damaged LTX record, sending a snapshot instead: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static LtxFileInfo verify(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      return LtxDecoder.verify(in, file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      return null; // removed by retention since it was listed
    } catch (LtxException e) {
      log.warn("not streaming damaged LTX file, sending a snapshot instead: {}", e.getMessage());
      return null;
    }
  }

  /** Stops following the store's commits. */
  @Override
  public void close() {
    store.removeListener(listener);
  }
}
