package dev.litefs.core.replication;

import dev.litefs.core.ltx.LtxFileInfo;
import dev.litefs.core.store.Database;
import dev.litefs.core.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's side of a {@code /stream}: applies each LTX frame to the local store (verified, checked to
 * follow the local position, recorded, then applied; synced when the stream ends, ADR 0010), records
 * heartbeats, and reports how the stream ended. A frame that cannot be applied ends the stream with its exception; the caller reconnects and the
 * primary, seeing the replica's position, sends what it needs (a snapshot if they disagree).
 */
public final class ReplicaStream {
  private static final Logger log = LoggerFactory.getLogger(ReplicaStream.class);

  private final Store store;
  private final Set<String> filter;
  private volatile boolean ready;
  private volatile long primaryTimestamp;

  /** How a stream ended without an error. */
  public record Outcome(boolean endedByPrimary, String handoffLeaseId) {}

  /** Observes stream events, e.g. to publish readiness or lag. */
  public interface Listener {
    default void onReady() {}

    default void onHeartbeat(long primaryTimestamp) {}

    default void onApplied(Database db, LtxFileInfo info) {}

    /**
     * The primary ended the stream: with End ({@code handoffLeaseId} null) or with Handoff. Called before the
     * received transactions are synced, so the node can ask for the lease meanwhile.
     */
    default void onEnd(String handoffLeaseId) {}
  }

  /** @param filter the databases this replica keeps ({@code lease.databases}); empty for all */
  public ReplicaStream(Store store, Set<String> filter) {
    this.store = store;
    this.filter = filter;
  }

  /** Whether the primary has said it sent everything it had when the stream began. */
  public boolean isReady() {
    return ready;
  }

  /** The primary's clock at its last heartbeat or transaction, in ms (0 before the first). */
  public long primaryTimestamp() {
    return primaryTimestamp;
  }

  /**
   * Reads and applies frames until the stream ends.
   *
   * @return how it ended: an End frame or EOF, or a Handoff frame with the lease to take
   * @throws IOException if a frame is malformed or cannot be applied, or the connection fails
   */
  public Outcome run(InputStream in, Listener listener) throws IOException {
    try {
      return apply(in, listener);
    } finally {
      syncReceived();
    }
  }

  /**
   * Makes what the stream applied durable (ADR 0010): applies are not synced one by one, and a node whose
   * stream ended may become the primary, whose history must be durable from its first write on.
   */
  private void syncReceived() {
    for (Database db : store.databases()) {
      try {
        db.syncReceived();
      } catch (IOException | RuntimeException e) {
        log.error("database {}: cannot sync the transactions received from the primary: {}", db.name(), e.toString());
      }
    }
  }

  private Outcome apply(InputStream in, Listener listener) throws IOException {
    StreamReader r = new StreamReader(in);
    for (StreamFrame f; (f = r.next()) != null; ) {
      if (f instanceof StreamFrame.Ltx ltx) {
        if (!filter.isEmpty() && !filter.contains(ltx.db())) {
          log.warn("ignoring LTX frame for database {} outside this replica's filter", ltx.db());
          continue;
        }
        Database db = store.createDatabase(ltx.db());
        LtxFileInfo info = db.receiveFromPrimary(r.ltxBody(), "stream");
        if (ready) {
          primaryTimestamp = info.header().timestamp();
        }
        listener.onApplied(db, info);
      } else if (f instanceof StreamFrame.Ready) {
        ready = true;
        listener.onReady();
      } else if (f instanceof StreamFrame.Heartbeat h) {
        primaryTimestamp = h.timestamp();
        listener.onHeartbeat(h.timestamp());
      } else if (f instanceof StreamFrame.DropDb d) {
        log.info("primary has no database {}; ignoring the deprecated drop frame", d.db());
      } else if (f instanceof StreamFrame.Hwm) {
        continue; // Backup high-water marks matter only to a backup client, which this node does not run.
      } else if (f instanceof StreamFrame.Handoff h) {
        listener.onEnd(h.leaseId());
        return new Outcome(false, h.leaseId());
      } else if (f instanceof StreamFrame.End) {
        listener.onEnd(null);
        return new Outcome(true, null);
      }
    }
    return new Outcome(false, null);
  }
}
