package dev.litefs.core.lease;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The primary lease on an etcd key ({@code lease.type: etcd}, our extension), through etcd's v3 JSON gateway
 * (ADR 0006): the primary grants an etcd lease of the configured TTL and, in one transaction, creates the key
 * attached to it only if the key does not exist (its create revision is 0), so exactly one node can hold it.
 * The value is LiteFS's {@code {"hostname":…,"advertise-url":…}}; the key vanishes when the lease expires or is
 * revoked. The cluster ID is created once at {@code <key>/clusterid}, attached to no lease.
 */
public final class EtcdLeaser implements Leaser {
  private final EtcdSettings settings;
  private final PrimaryInfo node;
  private final Clock clock;
  private final EtcdClient client;

  private EtcdLeaser(EtcdSettings settings, PrimaryInfo node, Clock clock) {
    this.settings = settings;
    this.node = node;
    this.clock = clock;
    this.client = new EtcdClient(settings.endpoints(), settings.key(), settings.ttl());
  }

  /**
   * Builds the leaser; nothing is sent until the first call.
   *
   * @param node this node's host name and advertise URL, both required
   * @throws IllegalArgumentException if the host name or advertise URL is empty
   */
  public static EtcdLeaser open(EtcdSettings settings, PrimaryInfo node, Clock clock) {
    Leasers.requireIdentity(node, EtcdClient.TYPE);
    return new EtcdLeaser(Objects.requireNonNull(settings, "settings"), node, Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public String type() {
    return EtcdClient.TYPE;
  }

  @Override
  public String hostname() {
    return node.hostname();
  }

  @Override
  public String advertiseUrl() {
    return node.advertiseUrl();
  }

  /** Grants a lease and creates the key with it if absent; the lease is revoked again if the key exists. */
  @Override
  public Lease acquire() throws LeaseException {
    Instant requestedAt = clock.instant();
    long lease = client.grant(settings.ttl());
    try {
      EtcdClient.TxnResult created = client.putIfAbsent(key(), LeaseJson.primaryInfo(node), lease);
      if (!created.succeeded()) {
        throw new PrimaryExistsException(type(), key(), holder(created));
      }
    } catch (LeaseException | RuntimeException e) {
      revokeAfterFailure(lease, e);
      throw e;
    }
    return newLease(lease, requestedAt);
  }

  /**
   * Keeps the handed-over lease alive, then rewrites the key with this node's info in a transaction that
   * requires the key to still be attached to that lease (or, if it vanished, to be absent).
   */
  @Override
  public Lease acquireExisting(String leaseId) throws LeaseException {
    Instant requestedAt = clock.instant();
    long lease = parseLeaseId(leaseId);
    if (client.keepAlive(lease) <= 0) {
      throw new LeaseExpiredException(type(), key(), leaseId, EtcdLease.LEASE_GONE);
    }
    byte[] value = LeaseJson.primaryInfo(node);
    EtcdClient.TxnResult taken = client.putIfLease(key(), value, lease);
    if (!taken.succeeded() && taken.current().isEmpty()) {
      taken = client.putIfAbsent(key(), value, lease);
    }
    if (!taken.succeeded()) {
      throw new PrimaryExistsException(type(), key(), holder(taken));
    }
    return newLease(lease, requestedAt);
  }

  @Override
  public Optional<PrimaryInfo> primaryInfo() throws LeaseException {
    Optional<EtcdClient.KeyValue> kv = client.range(key());
    return kv.isEmpty() ? Optional.empty() : Optional.of(decode(kv.get()));
  }

  @Override
  public Optional<String> clusterId() throws LeaseException {
    return client.range(clusterIdKey()).map(kv -> new String(kv.value(), StandardCharsets.UTF_8));
  }

  @Override
  public void setClusterId(String clusterId) throws LeaseException {
    if (client.putIfAbsent(clusterIdKey(), clusterId.getBytes(StandardCharsets.UTF_8), 0).succeeded()) {
      return;
    }
    String stored = clusterId().orElse("");
    if (!stored.equals(clusterId)) {
      throw new ClusterIdMismatchException(type(), clusterIdKey(), stored, clusterId);
    }
  }

  @Override
  public void close() {
    // The JDK's HTTP client frees its resources when unreachable.
  }

  private Lease newLease(long lease, Instant requestedAt) {
    return new EtcdLease(client, key(), lease, settings.ttl(), clock, requestedAt);
  }

  private Optional<PrimaryInfo> holder(EtcdClient.TxnResult failed) throws LeaseException {
    return failed.current().isEmpty() ? Optional.empty() : Optional.of(decode(failed.current().get()));
  }

  private PrimaryInfo decode(EtcdClient.KeyValue kv) throws LeaseException {
    return LeaseJson.primaryInfo(kv.value(), type(), key());
  }

  private long parseLeaseId(String leaseId) throws LeaseException {
    try {
      return Long.parseLong(leaseId);
    } catch (NumberFormatException e) {
      throw new LeaseException(type(), key(), "'" + leaseId + "' is not an etcd lease ID (a decimal number)", e);
    }
  }

  private void revokeAfterFailure(long lease, Exception failure) {
    try {
      client.revoke(lease);
    } catch (LeaseException e) {
      failure.addSuppressed(e); // the lease would expire after its TTL anyway
    }
  }

  private String key() {
    return settings.key();
  }

  private String clusterIdKey() {
    return Leasers.clusterIdKey(key());
  }
}
