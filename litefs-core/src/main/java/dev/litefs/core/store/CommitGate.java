package dev.litefs.core.store;

/**
 * Decides whether this node may still record a transaction SQLite made on a database. {@link Database#commit}
 * asks it first, under the database's lock, so once the gate refuses and {@link Store#awaitRecordings()} has
 * returned, no transaction is recorded any more: stepping down is a barrier (the node's role is checked again
 * where the commit is recorded, not only where SQLite's first write passed).
 */
@FunctionalInterface
public interface CommitGate {
  /** Lets every commit through: a store without a node (tests, {@code litefs import} offline). */
  CommitGate OPEN = db -> {};

  /**
   * Returns normally if {@code db}'s next transaction may be recorded now.
   *
   * @throws CommitRefusedException if it may not (the node is not the primary); nothing is recorded
   */
  void check(Database db) throws CommitRefusedException;
}
