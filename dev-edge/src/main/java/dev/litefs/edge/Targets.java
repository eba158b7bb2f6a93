package dev.litefs.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which nodes a request may go to, in the order to try them, as Fly's proxy picks Machines: for a new request
 * from the client's routing headers, for a replay from the {@code fly-replay} fields.
 *
 * @param preferred a node to try alone first; when it cannot take the request, the others get it with
 *     {@code fly-preferred-instance-unavailable}
 * @param preferredId the ID named as preferred (set even when no node has it, for that header)
 * @param candidates the nodes to try, in order, after the preferred one
 * @param description what was asked for, in an error message
 */
record Targets(Optional<Node> preferred, Optional<String> preferredId, List<Node> candidates, String description) {
  static final String FORCE_INSTANCE = "fly-force-instance-id";
  static final String PREFER_INSTANCE = "fly-prefer-instance-id";

  /**
   * For a new request: {@code fly-force-instance-id} (that node, no fallback), else {@code fly-prefer-instance-id}
   * (that node, else any), else any node, round robin.
   *
   * @throws EdgeError when the forced instance is malformed or no node has it
   */
  static Targets forRequest(Cluster cluster, String forced, String preferred) throws EdgeError {
    if (forced != null) {
      Node node = cluster.byId(instanceId(FORCE_INSTANCE, forced)).orElseThrow(() -> new EdgeError(FORCE_INSTANCE
          + " names " + forced + ", but no node has that ID (nodes: " + cluster.ids() + ")"));
      return new Targets(Optional.empty(), Optional.empty(), List.of(node), FORCE_INSTANCE + " " + forced);
    }
    if (preferred != null && Node.ID.matcher(preferred).matches()) {
      return preferring(cluster, preferred, cluster.nodes(), "any node");
    }
    // A malformed preferred ID is nobody's: any node takes the request, as for an unknown one.
    return new Targets(Optional.empty(), Optional.empty(), cluster.inTurn(cluster.nodes()), "any node");
  }

  /**
   * For a replay answered by {@code from}.
   *
   * @throws EdgeError when the replay names another app
   */
  static Targets forReplay(Cluster cluster, FlyReplay replay, Node from, Optional<String> app) throws EdgeError {
    if (replay.app().isPresent() && !replay.app().equals(app)) {
      throw new EdgeError("node " + from.id() + " replayed to app " + replay.app().get() + ", but the dev edge "
          + "serves one app" + app.map(a -> ", " + a).orElse("; name it with --app NAME if this is it"));
    }
    if (replay.instance().isPresent()) {
      String id = replay.instance().get();
      List<Node> node = cluster.byId(id).filter(n -> !(replay.elsewhere() && n.equals(from)))
          .map(List::of).orElse(List.of());
      return new Targets(Optional.empty(), Optional.empty(), node, "instance " + id);
    }
    List<Node> matching = new ArrayList<>();
    String description;
    if (replay.regions().isEmpty()) {
      matching.addAll(cluster.inTurn(cluster.nodes()));
      description = "any node";
    } else {
      // Regions in order of preference: all of the first region's nodes, then the next region's.
      for (String region : replay.regions()) {
        List<Node> inRegion = region.equals("any") ? cluster.nodes() : cluster.inRegion(region);
        cluster.inTurn(inRegion).stream().filter(n -> !matching.contains(n)).forEach(matching::add);
      }
      description = "region " + String.join(",", replay.regions());
    }
    if (replay.elsewhere()) {
      matching.remove(from);
      description += " other than " + from.id();
    }
    if (replay.preferInstance().isPresent()) {
      return preferring(cluster, replay.preferInstance().get(), matching, description);
    }
    return new Targets(Optional.empty(), Optional.empty(), matching, description);
  }

  private static Targets preferring(Cluster cluster, String id, List<Node> matching, String description) {
    Optional<Node> node = cluster.byId(id);
    List<Node> others = new ArrayList<>(matching);
    node.ifPresent(others::remove);
    return new Targets(node, Optional.of(id), cluster.inTurn(others), "instance " + id + ", else " + description);
  }

  private static String instanceId(String header, String value) throws EdgeError {
    if (!Node.ID.matcher(value).matches()) {
      throw new EdgeError(header + " is not an instance ID (letters, digits, '.', '_' and '-')");
    }
    return value;
  }
}
