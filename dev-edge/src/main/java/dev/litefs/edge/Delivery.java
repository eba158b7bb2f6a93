package dev.litefs.edge;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

/** What came of sending a request towards some nodes. */
sealed interface Delivery {
  /** A node answered; the body is still to be read. */
  record Answered(Node node, HttpResponse<InputStream> response) implements Delivery {}

  /**
   * No node could be reached.
   *
   * @param reason in the words of Fly's {@code fly-replay-failed}: {@code no_candidate}, {@code timeout} or
   *     {@code retries_exhausted}
   * @param tried the nodes that were tried, none when there was no candidate
   */
  record Unreachable(String reason, List<Node> tried) implements Delivery {}

  /** A node took the request and then failed: not retried, since it may have acted on it. */
  record Broken(Node node, IOException cause) implements Delivery {}
}
