package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a replica that holds the primary's HALT lock sends each transaction it commits, before recording it:
 * the primary applies it first, so the two histories cannot part (LiteFS's write forwarding).
 */
@FunctionalInterface
public interface CommitForwarder {
  /**
   * Sends the complete, synced LTX file {@code file} of {@code db}'s next transaction.
   *
   * @throws IOException if the primary did not accept it; the transaction is then not recorded here either
   */
  void forward(Database db, Path file, LtxFileInfo info) throws IOException;
}
