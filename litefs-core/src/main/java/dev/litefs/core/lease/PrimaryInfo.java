package dev.litefs.core.lease;

import java.util.Objects;

/**
 * What a primary publishes about itself while it holds the lease: the host name that replicas write to
 * {@code .primary} and send in {@code fly-replay}, and the URL of its node API. Stored as LiteFS's JSON
 * {@code {"hostname":…,"advertise-url":…}} in the Consul and etcd backends.
 *
 * @param hostname the primary's host name
 * @param advertiseUrl the URL other nodes use to reach the primary's node API
 */
public record PrimaryInfo(String hostname, String advertiseUrl) {
  public PrimaryInfo {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(advertiseUrl, "advertiseUrl");
  }

  /** Returns {@code hostname (advertiseUrl)}, the form used in messages. */
  @Override
  public String toString() {
    return hostname + " (" + advertiseUrl + ")";
  }
}
