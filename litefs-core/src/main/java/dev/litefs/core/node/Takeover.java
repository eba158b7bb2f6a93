package dev.litefs.core.node;

import dev.litefs.core.lease.Lease;
import dev.litefs.core.lease.LeaseException;
import dev.litefs.core.lease.Leaser;
import dev.litefs.core.lease.PrimaryExistsException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease a replica asks for the moment its primary ends the stream: the lease handed to it (Handoff), or, as
 * a candidate, a new one (End: the primary released it first). It is asked for on a thread of its own while the
 * lease loop syncs what the stream applied and closes the connection, so the lease server's round trips and the
 * fsyncs overlap instead of adding up; the node starts taking writes only after both.
 */
final class Takeover {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final CompletableFuture<Lease> lease;
  private final boolean clusterIdChecked;

  private Takeover(CompletableFuture<Lease> lease, boolean clusterIdChecked) {
    this.lease = lease;
    this.clusterIdChecked = clusterIdChecked;
  }

  /**
   * Starts taking the lease handed to this node ({@code handoffLeaseId}), or a new one if that is null.
   *
   * @param clusterIdChecked whether the ending stream carried the primary's cluster ID, which the node compared
   *     with its own: that primary compared it with the lease's when it became primary
   */
  static Takeover start(Leaser leaser, String handoffLeaseId, boolean clusterIdChecked) {
    boolean handedOff = handoffLeaseId != null;
    if (handedOff) {
      log.info("taking over the lease handed to this node");
    }
    CompletableFuture<Lease> f = CompletableFuture.supplyAsync(() -> {
      try {
        return handedOff ? leaser.acquireExisting(handoffLeaseId) : leaser.acquire();
      } catch (LeaseException e) {
        throw new CompletionException(e);
      }
    }, r -> {
      Thread t = new Thread(r, "litefs-takeover");
      t.setDaemon(true);
      t.start();
    });
    return new Takeover(f, clusterIdChecked);
  }

  /** Whether the cluster ID in the lease is known to be this node's already. */
  boolean clusterIdChecked() {
    return clusterIdChecked;
  }

  /**
   * Waits for the lease.
   *
   * @return the lease, or empty if another node holds it (a candidate that lost the race after End)
   * @throws LeaseException if the lease server refused otherwise (a handed lease that expired meanwhile)
   */
  Optional<Lease> await() throws LeaseException, InterruptedException {
    try {
      return Optional.of(lease.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PrimaryExistsException p) {
        log.debug("{}", p.getMessage());
        return Optional.empty();
      }
      if (e.getCause() instanceof LeaseException l) {
        throw l;
      }
      throw new IllegalStateException("taking the lease failed: " + e.getCause(), e.getCause());
    }
  }

  /** The node is closing before it used the lease: release it once (if ever) it is taken. */
  void abandon() {
    lease.thenAccept(l -> {
      try {
        l.close();
      } catch (LeaseException e) {
        log.warn("releasing the lease failed (it will expire): {}", e.getMessage());
      }
    });
  }
}
