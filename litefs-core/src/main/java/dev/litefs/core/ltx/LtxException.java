package dev.litefs.core.ltx;

import java.io.IOException;

/** An LTX file (or stream) that breaks a rule of the format. The message names the rule and the values. */
public class LtxException extends IOException {
  private static final long serialVersionUID = 1L;

  public LtxException(String message) {
    super(message);
  }

  public LtxException(String message, Throwable cause) {
    super(message, cause);
  }
}
