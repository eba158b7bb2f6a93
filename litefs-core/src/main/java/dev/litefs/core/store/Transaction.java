package dev.litefs.core.store;

import dev.litefs.core.ltx.LtxHeader;
import java.util.List;

/**
 * A write transaction SQLite has made on a database, as the engine records it: the pages it changed (each
 * the whole page as it now is, in ascending page order), the database size in pages afterwards, and, for
 * a WAL-mode transaction, where its frames are in the WAL.
 *
 * @param pageSize the database page size
 * @param commit the database size in pages after the transaction (0 deletes the database)
 * @param pages the changed pages, ascending, none past {@code commit}, not the lock page
 * @param timestamp when the transaction committed, ms since the epoch
 * @param wal the transaction's place in the WAL, or {@code null} for a rollback-journal transaction
 */
public record Transaction(int pageSize, int commit, List<Page> pages, long timestamp, WalRange wal) {
  public Transaction {
    if (!LtxHeader.isValidPageSize(pageSize)) {
      throw new IllegalArgumentException("invalid page size: " + pageSize);
    }
    pages = List.copyOf(pages);
  }

  /** One page's new content. */
  public record Page(int pgno, byte[] data) {}

  /** The WAL frames of a transaction: their offset and total size, and the WAL's salts. */
  public record WalRange(long offset, long size, int salt1, int salt2) {}
}
