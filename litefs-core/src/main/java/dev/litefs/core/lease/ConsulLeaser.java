package dev.litefs.core.lease;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The primary lease on a Consul key ({@code lease.type: consul}), made the way LiteFS makes it, so LiteFS
 * nodes and ours can share a cluster: a session named {@code litefs} (behavior {@code delete}, the configured
 * TTL and lock delay, no health checks) acquires the key with the value
 * {@code {"hostname":…,"advertise-url":…}}; the cluster ID is stored at {@code <key>/clusterid}.
 *
 * <p>One difference: the cluster ID is written with {@code ?cas=0} (create if absent), where LiteFS reads and
 * then writes, so two racing primaries cannot both set it.
 */
public final class ConsulLeaser implements Leaser {
  private final ConsulSettings settings;
  private final ConsulUrl url;
  private final PrimaryInfo node;
  private final Clock clock;
  private final ConsulClient client;

  private ConsulLeaser(ConsulSettings settings, PrimaryInfo node, Clock clock) {
    this.settings = settings;
    this.url = ConsulUrl.parse(settings.url());
    this.node = node;
    this.clock = clock;
    this.client = new ConsulClient(url, key(), settings.ttl());
  }

  /**
   * Connects to Consul and, when the URL has a key prefix, registers the catalog node {@code <prefix>/litefs}
   * that the sessions belong to (as LiteFS does at startup).
   *
   * @param node this node's host name and advertise URL, both required
   * @throws IllegalArgumentException if the host name or advertise URL is empty
   * @throws LeaseException if the catalog registration fails
   */
  public static ConsulLeaser open(ConsulSettings settings, PrimaryInfo node, Clock clock) throws LeaseException {
    Leasers.requireIdentity(node, "consul");
    ConsulLeaser leaser = new ConsulLeaser(Objects.requireNonNull(settings, "settings"), node, clock);
    if (!leaser.url.nodeName().isEmpty()) {
      leaser.client.registerNode(leaser.url.nodeName());
    }
    return leaser;
  }

  @Override
  public String type() {
    return ConsulClient.TYPE;
  }

  @Override
  public String hostname() {
    return node.hostname();
  }

  @Override
  public String advertiseUrl() {
    return node.advertiseUrl();
  }

  /** Creates a session and acquires the key with it; the session is destroyed again if the key is taken. */
  @Override
  public Lease acquire() throws LeaseException {
    Instant requestedAt = clock.instant();
    String session = client.createSession(url.nodeName(), settings.ttl(), settings.lockDelay());
    try {
      claim(session);
    } catch (LeaseException | RuntimeException e) {
      destroyAfterFailure(session, e);
      throw e;
    }
    return new ConsulLease(client, key(), session, settings.ttl(), clock, requestedAt);
  }

  /** Renews the handed-over session, then acquires the key with it under this node's primary info. */
  @Override
  public Lease acquireExisting(String leaseId) throws LeaseException {
    Instant requestedAt = clock.instant();
    if (!client.renewSession(leaseId)) {
      throw new LeaseExpiredException(type(), key(), leaseId, ConsulLease.SESSION_GONE);
    }
    claim(leaseId);
    return new ConsulLease(client, key(), leaseId, settings.ttl(), clock, requestedAt);
  }

  /** Reads the key; a missing key or empty value (after a clean release) means no primary. */
  @Override
  public Optional<PrimaryInfo> primaryInfo() throws LeaseException {
    Optional<byte[]> value = client.get(key());
    if (value.isEmpty() || value.get().length == 0) {
      return Optional.empty();
    }
    return Optional.of(LeaseJson.primaryInfo(value.get(), type(), key()));
  }

  @Override
  public Optional<String> clusterId() throws LeaseException {
    return client.get(clusterIdKey()).map(v -> new String(v, StandardCharsets.UTF_8)).filter(id -> !id.isEmpty());
  }

  @Override
  public void setClusterId(String clusterId) throws LeaseException {
    if (client.create(clusterIdKey(), clusterId.getBytes(StandardCharsets.UTF_8))) {
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

  private void claim(String session) throws LeaseException {
    if (!client.acquire(key(), session, LeaseJson.primaryInfo(node))) {
      throw new PrimaryExistsException(type(), key(), primaryInfo());
    }
  }

  private void destroyAfterFailure(String session, Exception failure) {
    try {
      client.destroySession(session);
    } catch (LeaseException e) {
      failure.addSuppressed(e); // the session would expire after its TTL anyway
    }
  }

  private String key() {
    return url.key(settings.key());
  }

  private String clusterIdKey() {
    return Leasers.clusterIdKey(key());
  }
}
