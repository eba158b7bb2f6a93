package dev.litefs.core.http;

import dev.litefs.core.node.EventJson;
import dev.litefs.core.node.Node;
import java.util.Optional;

/** {@code GET /info}, formatted as LiteFS's: two-space indentation, its key order, a final newline. */
final class InfoJson {
  private InfoJson() {}

  static String of(Node node, Optional<String> clusterId) {
    StringBuilder b = new StringBuilder("{\n");
    b.append("  \"clusterID\": ").append(json(clusterId.orElse(""))).append(",\n");
    b.append("  \"isPrimary\": ").append(node.isPrimary()).append(",\n");
    b.append("  \"candidate\": ").append(node.isCandidate()).append(",\n");
    b.append("  \"path\": ").append(json(node.store().options().dataDir().toString())).append(",\n");
    b.append("  \"primary\": {\n");
    b.append("    \"hostname\": ").append(json(node.currentPrimaryHostname())).append("\n");
    b.append("  }\n}\n");
    return b.toString();
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder();
    EventJson.string(b, s);
    return b.toString();
  }
}
