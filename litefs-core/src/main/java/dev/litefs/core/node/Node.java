package dev.litefs.core.node;

import dev.litefs.core.fuse.NodeView;
import dev.litefs.core.lease.Lease;
import dev.litefs.core.lease.LeaseException;
import dev.litefs.core.lease.Leaser;
import dev.litefs.core.lease.PrimaryInfo;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.replication.PrimaryStream;
import dev.litefs.core.replication.ReplicaStream;
import dev.litefs.core.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: primary while it holds the lease, otherwise a replica following the primary the lease
 * names. Its {@link LeaseLoop} moves it between the two; this class holds the state the rest of the engine
 * reads (role, primary, readiness, lag) and the operations the node API calls (streams, handoff, promote).
 */
public final class Node implements NodeView, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  final Store store;
  final Leaser leaser;
  final NodeSettings settings;
  final PrimaryConnector connector;
  final PrimaryFileHook primaryFile;
  final Clock clock;
  private final EventHub events;
  private final Map<PrimaryStream, Long> sessions = new ConcurrentHashMap<>();
  private final CountDownLatch firstReady = new CountDownLatch(1);
  private final LeaseLoop loop;
  private final PrimaryHalts primaryHalts;
  private final ReplicaHalts replicaHalts;
  private volatile Lease lease;
  private volatile PrimaryInfo primary;
  private volatile ReplicaStream replica;
  private volatile boolean ready;

  public Node(Store store, Leaser leaser, NodeSettings settings, PrimaryConnector connector,
      PrimaryFileHook primaryFile, Clock clock) {
    this.store = store;
    this.leaser = leaser;
    this.settings = settings;
    this.connector = connector;
    this.primaryFile = primaryFile;
    this.clock = clock;
    this.events = new EventHub(this::initEvent);
    this.loop = new LeaseLoop(this);
    this.primaryHalts = new PrimaryHalts(store, clock);
    this.replicaHalts = new ReplicaHalts(store, connector, () -> primary);
    store.addListener((db, tx) -> events.publish(new NodeEvent.Tx(db.name(), tx.header().maxTxid(),
        tx.trailer().postApplyChecksum(), tx.header().pageSize(), tx.header().commit(), tx.header().timestamp())));
  }

  /** Starts the lease loop. */
  public void start() {
    loop.start();
  }

  /** This node's ID. */
  public long nodeId() {
    return settings.nodeId();
  }

  /** Whether this node may become primary. */
  public boolean isCandidate() {
    return settings.candidate();
  }

  /** The hostname this node advertises ({@code lease.hostname}). */
  public String hostname() {
    return leaser.hostname();
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The events of {@code /events}. */
  public EventHub events() {
    return events;
  }

  @Override
  public boolean isPrimary() {
    return lease != null;
  }

  @Override
  public boolean canWrite(String db) {
    return isPrimary() || replicaHalts.isHalted(db);
  }

  /**
   * Takes the HALT lock on {@code db} for the replica {@code owner} ({@code POST /halt} from another node).
   *
   * @throws NotPrimaryException if this node is not the primary
   */
  public HaltLock haltForReplica(String db, long id, long owner) throws NotPrimaryException, IOException {
    if (!isPrimary()) {
      throw new NotPrimaryException();
    }
    return primaryHalts.acquire(db, id, owner);
  }

  /** Releases a replica's HALT lock ({@code DELETE /halt} from another node). */
  public void releaseReplicaHalt(String db, long id) {
    primaryHalts.release(db, id);
  }

  /**
   * Applies a transaction a replica wrote under its HALT lock ({@code POST /tx}).
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws IllegalStateException if the caller does not hold the lock
   */
  public void applyForwarded(String db, long id, long owner, java.io.InputStream ltx)
      throws NotPrimaryException, IOException {
    if (!isPrimary()) {
      throw new NotPrimaryException();
    }
    primaryHalts.apply(db, id, owner, ltx);
  }

  /**
   * Takes the primary's HALT lock on {@code db} for a local command ({@code litefs run -with-halt-lock-on}).
   * On the primary itself there is nothing to halt: the lock is this node's own position.
   */
  public HaltLock haltLocally(String db, long id) throws IOException, InterruptedException {
    if (isPrimary()) {
      return new HaltLock(db, id, store.database(db).map(d -> d.pos()).orElse(Pos.ZERO), clock.instant());
    }
    return replicaHalts.halt(db, id);
  }

  /** Releases a lock taken with {@link #haltLocally}. */
  public void unhaltLocally(String db, long id) throws IOException {
    replicaHalts.unhalt(db, id);
  }

  @Override
  public Optional<String> primaryHostname() {
    PrimaryInfo p = primary;
    return p == null ? Optional.empty() : Optional.of(p.hostname());
  }

  /** The primary's hostname as {@code /info} shows it: this node's own when primary, empty when unknown. */
  public String currentPrimaryHostname() {
    return isPrimary() ? hostname() : primaryHostname().orElse("");
  }

  @Override
  public long lagMillis() {
    if (isPrimary()) {
      return 0;
    }
    ReplicaStream r = replica;
    long ts = r == null ? 0 : r.primaryTimestamp();
    return !ready || ts == 0 ? Integer.MAX_VALUE : Math.max(0, clock.millis() - ts);
  }

  @Override
  public long primaryTimestamp() {
    if (isPrimary()) {
      return clock.millis();
    }
    ReplicaStream r = replica;
    return r == null ? 0 : r.primaryTimestamp();
  }

  /** Whether the node is primary or has caught up with a primary once. */
  public boolean isReady() {
    return ready;
  }

  /** Waits until {@link #isReady()}; returns whether it became ready in time. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return firstReady.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a replica's stream session.
   *
   * @throws NotPrimaryException if this node does not hold the lease
   */
  public PrimaryStream openStream(long clientNodeId, Map<String, Pos> positions, Set<String> filter)
      throws NotPrimaryException {
    if (!isPrimary()) {
      throw new NotPrimaryException();
    }
    PrimaryStream s = new PrimaryStream(store, clock, settings.heartbeatInterval(), positions, filter);
    sessions.put(s, clientNodeId);
    if (!isPrimary()) {
      // Lost the lease while registering: make sure the session ends.
      s.stop();
    }
    return s;
  }

  /** Ends a session opened with {@link #openStream}. */
  public void closeStream(PrimaryStream s) {
    sessions.remove(s);
    s.close();
  }

  /**
   * Hands the lease to the connected replica {@code nodeId} ({@code POST /handoff}).
   *
   * @throws NotPrimaryException if this node is not the primary
   * @throws LeaseException if the node is not a connected replica or the lease cannot be handed off
   */
  public void handoff(long nodeId) throws NotPrimaryException, LeaseException {
    Lease l = lease;
    if (l == null) {
      throw new NotPrimaryException();
    }
    if (!sessions.containsValue(nodeId)) {
      throw new LeaseException(leaser.type(), "", String.format("node %016X is not a connected replica", nodeId));
    }
    l.handoff(nodeId, Duration.ofSeconds(5));
  }

  /**
   * Asks the primary to hand this node the lease ({@code POST /promote}, {@code lease.promote}).
   *
   * @return {@code true} once this node is primary, {@code false} if it did not become primary in 10 s
   * @throws IllegalStateException if this node is not a candidate, or no primary is known
   */
  public boolean promote() throws IOException, InterruptedException {
    if (!isCandidate()) {
      throw new IllegalStateException("not eligible to become primary");
    }
    if (isPrimary()) {
      return true;
    }
    PrimaryInfo p = primary;
    if (p == null) {
      throw new IllegalStateException("no primary");
    }
    connector.requestHandoff(p.advertiseUrl(), nodeId());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!isPrimary() && System.nanoTime() < deadline) {
      Thread.sleep(1); // LiteFS polls for the role the same way; the lease loop flips it
    }
    return isPrimary();
  }

  // State changes made by the lease loop.

  void becamePrimary(Lease l) {
    lease = l;
    markReady();
    events.publish(new NodeEvent.PrimaryChange(true, ""));
    log.info("primary lease acquired ({}, ttl {})", l.id(), l.ttl());
  }

  /** Drops the lease state and ends every replica's stream (with End, or Handoff for the chosen one). */
  void steppedDown(long handedOffTo, String leaseId) {
    lease = null;
    primaryHalts.releaseAll();
    for (Map.Entry<PrimaryStream, Long> e : sessions.entrySet()) {
      if (leaseId != null && e.getValue() == handedOffTo) {
        e.getKey().handoff(leaseId);
      } else {
        e.getKey().stop();
      }
    }
    events.publish(new NodeEvent.PrimaryChange(false, ""));
  }

  /** How many replicas are streaming from this node. */
  public int streamCount() {
    return sessions.size();
  }

  boolean hasSession(long nodeId) {
    return sessions.containsValue(nodeId);
  }

  void connected(PrimaryInfo p, ReplicaStream r) {
    primary = p;
    replica = r;
    primaryFile.connected(p.hostname());
    events.publish(new NodeEvent.PrimaryChange(false, p.hostname()));
  }

  void disconnected() {
    if (primary != null) {
      primary = null;
      primaryFile.disconnected();
      events.publish(new NodeEvent.PrimaryChange(false, ""));
    }
  }

  void markReady() {
    ready = true;
    firstReady.countDown();
  }

  private NodeEvent.Init initEvent() {
    return new NodeEvent.Init(isPrimary(), isPrimary() ? "" : primaryHostname().orElse(""));
  }

  /** Stops the lease loop; a primary ends its streams and releases the lease so a candidate takes over at once. */
  @Override
  public void close() {
    loop.close();
    replicaHalts.close();
    primaryHalts.releaseAll();
  }
}
