package dev.litefs.core.store;

import java.io.IOException;

/**
 * A transaction SQLite made was not recorded because this node may no longer commit (it stopped being primary
 * while the transaction was in flight). SQLite must see its commit fail, as on any replica.
 */
public final class CommitRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public CommitRefusedException(String message) {
    super(message);
  }
}
