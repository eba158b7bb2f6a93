package dev.litefs.core.fuse;

/** A FUSE operation refused with an errno; the message says why, for the log. */
final class MountException extends Exception {
  private static final long serialVersionUID = 1L;

  final int errno;

  MountException(int errno, String message) {
    super(message, null, false, false);
    this.errno = errno;
  }
}
