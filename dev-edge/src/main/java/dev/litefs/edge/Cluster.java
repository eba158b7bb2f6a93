package dev.litefs.edge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** The nodes behind the edge, and whose turn it is: requests are spread round robin, as over Fly Machines. */
final class Cluster {
  private final List<Node> nodes;
  private final AtomicInteger turn = new AtomicInteger();

  Cluster(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  List<Node> nodes() {
    return nodes;
  }

  Optional<Node> byId(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  List<Node> inRegion(String region) {
    return nodes.stream().filter(n -> n.region().equals(region)).collect(Collectors.toList());
  }

  /**
   * Returns {@code candidates} in the order to try them: starting with the next in turn, so that successive
   * requests land on successive nodes, and going on with the others in case that one cannot be reached.
   */
  List<Node> inTurn(Collection<Node> candidates) {
    List<Node> list = new ArrayList<>(candidates);
    if (list.isEmpty()) {
      return list;
    }
    int start = Math.floorMod(turn.getAndIncrement(), list.size());
    List<Node> ordered = new ArrayList<>(list.subList(start, list.size()));
    ordered.addAll(list.subList(0, start));
    return ordered;
  }

  String ids() {
    return nodes.stream().map(Node::id).collect(Collectors.joining(", "));
  }
}
