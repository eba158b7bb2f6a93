package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxFileInfo;

/** Told of every transaction a database records: a local commit, a received file, a drop. */
@FunctionalInterface
public interface TxListener {
  /** Called after the transaction is durable and the position has moved, on the committing thread. */
  void onTransaction(Database db, LtxFileInfo tx);
}
