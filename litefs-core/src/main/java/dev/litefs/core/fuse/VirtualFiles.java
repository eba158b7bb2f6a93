package dev.litefs.core.fuse;

import java.nio.charset.StandardCharsets;

/** The content of the files LiteFS computes instead of storing, exactly as LiteFS formats them. */
final class VirtualFiles {
  /** Size of {@code <db>-pos}: {@code %016x/%016x\n}. */
  static final int POS_SIZE = 34;
  /** Size of {@code .lag}: {@code %+010d\n}. */
  static final int LAG_SIZE = 11;

  private VirtualFiles() {}

  /** {@code <db>-pos}; not to be modified: it is formatted once per position, as clients may poll it back to back. */
  static byte[] pos(MountedDatabase db) {
    return db.posText.of(db.db.pos());
  }

  static byte[] lag(NodeView node) {
    long ms = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, node.lagMillis()));
    return String.format("%+010d\n", ms).getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code .primary}: the primary's hostname and a newline, or {@code null} when the file is absent. */
  static byte[] primary(NodeView node) {
    return node.primaryHostname().map(h -> (h + "\n").getBytes(StandardCharsets.UTF_8)).orElse(null);
  }
}
