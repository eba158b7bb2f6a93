package dev.litefs.core.store;

import java.io.IOException;

/**
 * A database that recovery cannot bring back into agreement with its LTX history without losing or
 * inventing data. The message names the database, the file, the TXID and the checksums involved. The LTX
 * history is left untouched, for inspection.
 */
public class RecoveryException extends IOException {
  private static final long serialVersionUID = 1L;

  public RecoveryException(String message, Throwable cause) {
    super(message, cause);
  }

  public RecoveryException(String message) {
    super(message);
  }
}
