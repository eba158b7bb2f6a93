package dev.litefs.core.fuse;

import dev.litefs.core.ltx.Pos;
import java.nio.charset.StandardCharsets;

/**
 * A database's {@code -pos} content ({@code %016x/%016x\n}), formatted once per position: clients may read the
 * file back to back (a read-your-writes check, the replication benchmark's poller), and each read formatted it
 * anew.
 */
final class PosText {
  private record Formatted(Pos pos, byte[] text) {}

  private volatile Formatted last;

  /** The content for {@code pos}; not to be modified. */
  byte[] of(Pos pos) {
    Formatted f = last;
    if (f == null || !f.pos().equals(pos)) {
      f = new Formatted(pos, (pos + "\n").getBytes(StandardCharsets.US_ASCII));
      last = f;
    }
    return f.text();
  }
}
