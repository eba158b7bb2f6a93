package dev.litefs.edge;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One node behind the edge: a Fly Machine, locally.
 *
 * @param id the node's instance ID, what {@code fly-replay: instance=} and {@code fly-force-instance-id} name; it
 *     must equal the node's {@code lease.hostname}, since the starter replays to {@code instance=<.primary>}
 * @param url where the node's application listens, {@code http://host:port}
 * @param region the node's region, what {@code fly-replay: region=} names
 */
record Node(String id, URI url, String region) {
  /** Instance IDs as the starter accepts hostnames: safe in a header, a URL and a log line. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,253}");
  /** Fly's three-letter region codes. */
  static final Pattern REGION = Pattern.compile("[a-z]{3}");

  Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(region, "region");
  }

  @Override
  public String toString() {
    return id + " (" + region + ", " + url + ")";
  }
}
