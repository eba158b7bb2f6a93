package dev.litefs.core.node;

import dev.litefs.core.lease.Lease;
import dev.litefs.core.lease.LeaseException;
import dev.litefs.core.lease.LeaseExpiredException;
import dev.litefs.core.lease.PrimaryExistsException;
import dev.litefs.core.lease.PrimaryInfo;
import dev.litefs.core.ltx.Pos;
import dev.litefs.core.replication.ReplicaStream;
import dev.litefs.core.store.ClusterId;
import dev.litefs.core.store.Database;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's lease loop (LiteFS's {@code monitorLease}): take over a lease handed to us; else follow the
 * primary the lease names; else, as a candidate, acquire the lease and be primary until it is lost, handed
 * off or released. Runs on its own thread, an engine thread of the mount.
 *
 * <p>Unlike LiteFS, a replica waits at most 250 ms (or {@code reconnect-delay} if shorter) between attempts
 * while the primary is unreachable, so a candidate notices an expired lease within that, and it gives up a
 * primary that sends nothing for {@code silentPrimaryTimeout} instead of waiting for TCP.
 */
final class LeaseLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaseLoop.class);
  private static final Duration MAX_RETRY = Duration.ofMillis(250);

  private final Node node;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Takeover takeover;
  private volatile Lease current;
  private volatile PrimaryConnectorStreamHolder stream = new PrimaryConnectorStreamHolder();

  LeaseLoop(Node node) {
    this.node = node;
    this.thread = new Thread(this, "litefs-lease");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    boolean warned = false;
    while (!closed) {
      try {
        Takeover t = takeover;
        if (t != null) {
          Optional<Lease> taken = awaitTakeover(t);
          if (taken.isPresent()) {
            runAsPrimary(taken.get(), t.clusterIdChecked());
          }
          continue;
        }
        Optional<PrimaryInfo> info = node.leaser.primaryInfo();
        if (info.isPresent() && !isSelf(info.get())) {
          boolean endedByPrimary = runAsReplica(info.get());
          // A primary ends its streams with End only after releasing the lease: look again at once, so a
          // replica that cannot be primary follows the next one without waiting out a retry interval.
          if (takeover == null && !endedByPrimary) {
            pause(retryDelay());
          }
          continue;
        }
        if (node.settings.candidate()) {
          try {
            runAsPrimary(node.leaser.acquire(), false);
          } catch (PrimaryExistsException e) {
            log.debug("{}", e.getMessage());
          }
          continue;
        }
        if (!warned && info.isEmpty()) {
          log.info("cannot find primary & ineligible to become primary, retrying");
          warned = true;
        }
        pause(retryDelay());
      } catch (LeaseException e) {
        log.warn("lease: {}", e.getMessage());
        pause(node.settings.reconnectDelay());
      } catch (InterruptedException e) {
        if (!closed) {
          log.warn("lease loop interrupted");
        }
      } catch (RuntimeException e) {
        log.error("lease loop: {}", e.toString(), e);
        pause(node.settings.reconnectDelay());
      }
    }
    Takeover t = takeover;
    if (t != null) {
      t.abandon();
    }
  }

  private Optional<Lease> awaitTakeover(Takeover t) throws LeaseException, InterruptedException {
    takeover = null;
    try {
      return t.await();
    } catch (InterruptedException e) {
      t.abandon();
      throw e;
    }
  }

  private Duration retryDelay() {
    Duration d = node.settings.reconnectDelay();
    return d.compareTo(MAX_RETRY) < 0 ? d : MAX_RETRY;
  }

  /** The lease names this node but it holds no lease: a previous run's, still valid. Wait for it to expire. */
  private boolean isSelf(PrimaryInfo info) {
    // A non-candidate can never hold the lease (and a static replica's leaser describes the primary).
    return node.settings.candidate() && info.advertiseUrl().equals(node.leaser.advertiseUrl()) && info.hostname().equals(node.leaser.hostname());
  }

  private void runAsPrimary(Lease lease, boolean clusterIdChecked) throws InterruptedException {
    try {
      if (!clusterIdChecked && !checkClusterId()) {
        lease.close();
        pause(node.settings.reconnectDelay());
        return;
      }
    } catch (LeaseException | IOException e) {
      log.error("cannot record the cluster id: {}", e.getMessage());
      release(lease);
      pause(node.settings.reconnectDelay());
      return;
    }
    current = lease;
    node.disconnected();
    node.becamePrimary(lease);
    long handedOffTo = 0;
    String leaseId = null;
    try {
      Duration interval = lease.ttl().dividedBy(2);
      while (!closed) {
        OptionalLong target = lease.pollHandoff(interval);
        if (target.isPresent() && node.hasSession(target.getAsLong())) {
          lease.renew();
          handedOffTo = target.getAsLong();
          leaseId = lease.id();
          log.info(String.format("handing the lease off to node %016X", handedOffTo));
          break;
        }
        if (!renew(lease)) {
          break;
        }
      }
    } catch (LeaseException e) {
      log.warn("lease lost: {}", e.getMessage());
    } finally {
      current = null;
      node.stopWriting();
      if (leaseId != null) {
        node.endStreams(handedOffTo, leaseId);
        lease.markHandedOff();
      } else {
        // Released before the streams end: a replica told End finds the lease free and can take it at once.
        release(lease);
        node.endStreams(0, null);
      }
      log.info("no longer primary");
    }
  }

  /** Renews; on errors other than expiry retries each second while the lease can still be valid. */
  private boolean renew(Lease lease) throws InterruptedException {
    while (!closed) {
      try {
        lease.renew();
        return true;
      } catch (LeaseExpiredException e) {
        log.warn("{}", e.getMessage());
        return false;
      } catch (LeaseException e) {
        Instant expires = lease.renewedAt().plus(lease.ttl());
        if (node.clock.instant().plusSeconds(1).isAfter(expires)) {
          log.warn("cannot renew the lease before it expires: {}", e.getMessage());
          return false;
        }
        log.warn("renewing the lease failed, retrying: {}", e.getMessage());
        pause(Duration.ofSeconds(1));
      }
    }
    return false;
  }

  /** The cluster ID in the lease and in the data directory must agree; the first primary sets both. */
  private boolean checkClusterId() throws LeaseException, IOException {
    Optional<String> inLease = node.leaser.clusterId();
    Optional<ClusterId> local = node.store.clusterId();
    if (inLease.isEmpty()) {
      ClusterId id = local.orElseGet(ClusterId::generate);
      node.leaser.setClusterId(id.value());
      if (local.isEmpty()) {
        node.store.setClusterId(id);
      }
      return true;
    }
    if (local.isEmpty()) {
      node.store.setClusterId(new ClusterId(inLease.get()));
      return true;
    }
    if (!local.get().value().equals(inLease.get())) {
      log.error("lease already initialized with different cluster id: {} (lease) != {} (local data)", inLease.get(),
          local.get());
      return false;
    }
    return true;
  }

  /** Follows {@code info}'s primary until the stream ends; returns whether the primary ended it with End. */
  private boolean runAsReplica(PrimaryInfo info) {
    Map<String, Pos> positions = new TreeMap<>();
    for (Database db : node.store.databases()) {
      if (node.settings.databases().isEmpty() || node.settings.databases().contains(db.name())) {
        positions.put(db.name(), db.pos());
      }
    }
    ReplicaStream replica = new ReplicaStream(node.store, node.settings.databases());
    try (PrimaryConnector.Stream s = node.connector.open(info.advertiseUrl(), positions, node.settings.databases())) {
      stream.set(s);
      if (!adoptClusterId(s.clusterId())) {
        pause(node.settings.reconnectDelay());
        return false;
      }
      node.connected(info, replica);
      log.info("connected to primary {}", info);
      ReplicaStream.Outcome outcome = replica.run(s.body(), new ReplicaStream.Listener() {
        @Override
        public void onReady() {
          node.markReady();
        }

        @Override
        public void onEnd(String handoffLeaseId) {
          if (!closed && (handoffLeaseId != null || node.settings.candidate())) {
            takeover = Takeover.start(node.leaser, handoffLeaseId, s.clusterId().isPresent());
          }
        }
      });
      log.info("stream from primary {} ended{}", info.hostname(), outcome.endedByPrimary() ? " by the primary" : "");
      return outcome.endedByPrimary();
    } catch (IOException e) {
      if (!closed) {
        // toString: a closed connection's exception often has no message.
        log.info("replication from primary {} stopped: {}", info.hostname(), e.toString());
      }
      return false;
    } finally {
      stream.set(null);
      node.disconnected();
    }
  }

  private boolean adoptClusterId(Optional<String> theirs) throws IOException {
    if (theirs.isEmpty()) {
      return true;
    }
    Optional<ClusterId> local = node.store.clusterId();
    if (local.isEmpty()) {
      node.store.setClusterId(new ClusterId(theirs.get()));
      return true;
    }
    if (!local.get().value().equals(theirs.get())) {
      log.error("cannot stream from primary with a different cluster id: {} (primary) != {} (local data)",
          theirs.get(), local.get());
      return false;
    }
    return true;
  }

  /** The loop's retry interval; close() interrupts it, and the loop then sees {@code closed}. */
  private void pause(Duration d) {
    if (!closed) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        // close() wakes the loop; it checks closed next.
      }
    }
  }

  /**
   * Releases the lease. close() interrupts this thread, possibly in the middle of a renewal's request, and an
   * interrupted thread's next request to the lease server fails at once: the lease would then be left to
   * expire, and a candidate would wait a TTL instead of taking over.
   */
  private static void release(Lease lease) {
    boolean interrupted = Thread.interrupted();
    try {
      lease.close();
    } catch (LeaseException e) {
      log.warn("releasing the lease failed (it will expire): {}", e.getMessage());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the loop: a primary releases its lease (so a candidate takes over at once), a replica disconnects. */
  void close() {
    closed = true;
    stream.closeQuietly();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The replica's open stream, so close() can cut it. */
  private static final class PrimaryConnectorStreamHolder {
    private volatile PrimaryConnector.Stream s;

    void set(PrimaryConnector.Stream stream) {
      s = stream;
    }

    void closeQuietly() {
      PrimaryConnector.Stream x = s;
      if (x != null) {
        x.close();
      }
    }
  }
}
