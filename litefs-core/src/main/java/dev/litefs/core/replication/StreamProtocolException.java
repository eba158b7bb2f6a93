package dev.litefs.core.replication;

import java.io.IOException;

/** A replication stream or position map that breaks the protocol: the message says how and where. */
public class StreamProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public StreamProtocolException(String message) {
    super(message);
  }
}
