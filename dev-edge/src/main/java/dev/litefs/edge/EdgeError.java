package dev.litefs.edge;

/** A request the edge cannot deliver: the client gets 502 and this message, which says why and what to do. */
final class EdgeError extends Exception {
  private static final long serialVersionUID = 1L;

  EdgeError(String message) {
    super(message);
  }
}
