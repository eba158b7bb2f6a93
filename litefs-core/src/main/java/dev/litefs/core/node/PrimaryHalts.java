package dev.litefs.core.node;

import dev.litefs.core.store.Database;
import dev.litefs.core.store.DatabaseFileWriter;
import dev.litefs.core.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's HALT locks (LiteFS's {@code AcquireHaltLock}): taking one holds SQLite's write locks on the
 * database through the mount (the primary's own clients wait) after checkpointing its WAL, so a replica's
 * forwarded transactions can be applied in between. A lock expires 30 s after it was last taken unless the
 * replica takes it again, so a replica that dies cannot block the primary for long.
 */
final class PrimaryHalts {
  /** LiteFS's {@code HaltLockTTL}. */
  static final Duration TTL = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(PrimaryHalts.class);

  private record Held(HaltLock lock, long owner, DatabaseFileWriter.Session session) {}

  private final Store store;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  PrimaryHalts(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Takes (or, for the same ID, extends) the lock on {@code name} for replica {@code owner}.
   *
   * @throws IOException if another replica holds it, or the locks cannot be taken
   */
  synchronized HaltLock acquire(String name, long id, long owner) throws IOException {
    expire();
    Held h = held.get(name);
    if (h != null) {
      if (h.lock().id() != id || h.owner() != owner) {
        throw new IOException(String.format("halt lock on %s is held by node %016X", name, h.owner()));
      }
      Held renewed = new Held(withPosAndExpiry(h.lock(), store.database(name).orElseThrow()), owner, h.session());
      held.put(name, renewed);
      return renewed.lock();
    }
    Database db = store.createDatabase(name);
    DatabaseFileWriter.Session session = db.files().open(db, db.pageSize() == 0 ? 4096 : db.pageSize());
    try {
      session.checkpoint(db);
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
    HaltLock lock = withPosAndExpiry(new HaltLock(name, id, db.pos(), clock.instant()), db);
    held.put(name, new Held(lock, owner, session));
    log.info(String.format("halt lock %d on %s taken by node %016X at %s", id, name, owner, lock.pos()));
    return lock;
  }

  private HaltLock withPosAndExpiry(HaltLock l, Database db) {
    return new HaltLock(l.db(), l.id(), db.pos(), clock.instant().plus(TTL));
  }

  /** Applies a transaction forwarded by the lock's holder ({@code POST /tx}) under the lock. */
  void apply(String name, long id, long owner, InputStream ltx) throws IOException {
    Held h;
    synchronized (this) {
      expire();
      h = held.get(name);
      if (h == null || h.lock().id() != id || h.owner() != owner) {
        throw new IllegalStateException("halt lock " + id + " on " + name + " is not held by this node's caller");
      }
    }
    Database db = store.database(name).orElseThrow();
    db.receive(ltx, String.format("transaction forwarded by node %016X", owner), h.session());
  }

  /** Releases the lock ({@code DELETE /halt}); releasing a lock that is not held is not an error. */
  synchronized void release(String name, long id) {
    Held h = held.get(name);
    if (h != null && h.lock().id() == id) {
      held.remove(name);
      close(h);
      log.info("halt lock {} on {} released", id, name);
    }
  }

  /** Drops locks whose holder stopped taking them again. */
  synchronized void expire() {
    for (Map.Entry<String, Held> e : held.entrySet()) {
      if (clock.instant().isAfter(e.getValue().lock().expires())) {
        held.remove(e.getKey());
        close(e.getValue());
        log.warn("halt lock {} on {} expired", e.getValue().lock().id(), e.getKey());
      }
    }
  }

  /** Releases every lock (the node stops being primary). */
  synchronized void releaseAll() {
    held.values().forEach(PrimaryHalts::close);
    held.clear();
  }

  private static void close(Held h) {
    try {
      h.session().close();
    } catch (IOException e) {
      log.warn("releasing halt lock on {}: {}", h.lock().db(), e.getMessage());
    }
  }
}
