package dev.litefs.core.node;

import dev.litefs.core.lease.PrimaryInfo;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.DatabaseFileWriter;
import dev.litefs.core.store.Store;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's side of HALT write forwarding ({@code litefs run -with-halt-lock-on}): take the primary's lock,
 * wait until this replica has everything the primary had, then let clients write here, forwarding each
 * transaction to the primary before recording it. The lock is taken again every 10 s (the primary drops it
 * after 30 s without), and on release the WAL this replica wrote is checkpointed.
 */
final class ReplicaHalts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaHalts.class);
  private static final long CATCH_UP_MS = 10_000;

  private record Halted(long id, String primaryUrl, ScheduledFuture<?> renewal) {}

  private final Store store;
  private final PrimaryConnector connector;
  private final Supplier<PrimaryInfo> primary;
  private final Map<String, Halted> halted = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "litefs-halt-renewal");
    t.setDaemon(true);
    return t;
  });

  ReplicaHalts(Store store, PrimaryConnector connector, Supplier<PrimaryInfo> primary) {
    this.store = store;
    this.connector = connector;
    this.primary = primary;
  }

  boolean isHalted(String db) {
    return halted.containsKey(db);
  }

  /**
   * Takes the primary's lock on {@code name} and waits until this replica is at the lock's position.
   *
   * @throws IOException if there is no primary, it refuses, or this replica does not catch up in time
   */
  synchronized HaltLock halt(String name, long id) throws IOException, InterruptedException {
    PrimaryInfo p = primary.get();
    if (p == null) {
      throw new IOException("no primary is connected to take the halt lock from");
    }
    HaltLock lock = connector.halt(p.advertiseUrl(), name, id);
    Database db = store.createDatabase(name);
    long deadline = System.currentTimeMillis() + CATCH_UP_MS;
    while (!db.pos().equals(lock.pos())) {
      if (db.pos().txid().compareTo(lock.pos().txid()) > 0 || System.currentTimeMillis() > deadline) {
        connector.unhalt(p.advertiseUrl(), name, id);
        throw new IOException("database " + name + " is at " + db.pos() + ", not at the halt lock's " + lock.pos());
      }
      Thread.sleep(1); // LiteFS polls the same way; the replication stream moves the position
    }
    db.setCommitForwarder((d, file, info) -> connector.forwardTransaction(p.advertiseUrl(), name, id, file));
    ScheduledFuture<?> renewal = renewals.scheduleWithFixedDelay(() -> renew(p.advertiseUrl(), name, id), 10, 10,
        TimeUnit.SECONDS);
    halted.put(name, new Halted(id, p.advertiseUrl(), renewal));
    log.info("halt lock {} on {} held; writes are forwarded to {}", id, name, p);
    return lock;
  }

  private void renew(String url, String name, long id) {
    try {
      connector.halt(url, name, id);
    } catch (IOException e) {
      log.warn("cannot renew halt lock {} on {}: {}", id, name, e.getMessage());
    }
  }

  /** Releases the lock: stops forwarding, checkpoints what was written here, tells the primary. */
  synchronized void unhalt(String name, long id) throws IOException {
    Halted h = halted.get(name);
    if (h == null || h.id() != id) {
      return;
    }
    halted.remove(name);
    h.renewal().cancel(false);
    Database db = store.database(name).orElseThrow();
    db.setCommitForwarder(null);
    try (DatabaseFileWriter.Session s = db.files().open(db, db.pageSize() == 0 ? 4096 : db.pageSize())) {
      s.checkpoint(db);
    } finally {
      connector.unhalt(h.primaryUrl(), name, id);
      log.info("halt lock {} on {} released", id, name);
    }
  }

  @Override
  public void close() {
    renewals.shutdownNow();
  }
}
