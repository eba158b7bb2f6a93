package dev.litefs.core.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A held lease: this node is primary while it holds one. The holder renews it every {@code ttl()/2} and
 * releases it with {@link #close()} on a clean shutdown, so a candidate can take over at once.
 *
 * <p>Handoff (a chosen replica becomes primary without waiting for expiry): the node API calls
 * {@link #handoff(long, Duration)} with the replica's node ID; the primary loop, which waits in
 * {@link #pollHandoff(Duration)} between renewals, receives it, sends {@link #id()} to that replica in a Handoff
 * frame, and calls {@link #markHandedOff()}. The replica then calls {@link Leaser#acquireExisting(String)}.
 *
 * <p>Thread-safe: {@code handoff} is called from another thread than the one renewing and polling.
 */
public interface Lease extends AutoCloseable {
  /** Returns the backend's ID for this lease (a Consul session ID, an etcd lease ID in decimal). */
  String id();

  /** Returns when the lease was acquired or last renewed, by this node's clock. */
  Instant renewedAt();

  /** Returns how long the lease lives without a renewal. */
  Duration ttl();

  /**
   * Extends the lease by its TTL.
   *
   * @throws LeaseExpiredException if the lease is gone (expired, revoked, or its key taken by another lease)
   * @throws LeaseException if the backend cannot be asked; the lease may still be alive, so retry until
   *     {@code renewedAt() + ttl()} has passed
   * @throws IllegalStateException if the lease was closed or handed off
   */
  void renew() throws LeaseException;

  /**
   * Asks the primary loop to hand this lease to node {@code nodeId}, waiting until the loop has taken the
   * request from {@link #pollHandoff(Duration)}.
   *
   * @throws LeaseException if the backend cannot hand off (static), or nobody took the request within
   *     {@code timeout}, or the wait was interrupted
   * @throws IllegalStateException if the lease was closed or handed off
   */
  void handoff(long nodeId, Duration timeout) throws LeaseException;

  /**
   * Waits up to {@code timeout} for a handoff request, and returns the node ID it names, or empty if none came.
   * The primary loop calls this as its wait between renewals, so a request is served at once.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  OptionalLong pollHandoff(Duration timeout) throws InterruptedException;

  /**
   * Records that the lease now belongs to the node it was handed to: {@link #close()} will leave it alone, and
   * renew and handoff are refused. Call it once the lease ID has been sent to that node.
   */
  void markHandedOff();

  /**
   * Releases the lease, so that another candidate can acquire it at once (no waiting for the TTL). Does nothing
   * if already closed or handed off.
   *
   * @throws LeaseException if the backend could not be told; the lease then expires after its TTL
   */
  @Override
  void close() throws LeaseException;
}
