package dev.litefs.sample.resource;

/**
 * The external source could not be asked, or gave no usable answer: unreachable, too slow, an error status, or
 * something that is not a resource. The message says which, and names the source.
 */
public class SourceUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  SourceUnavailableException(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  SourceUnavailableException(String message) {
    super(message);
    this.timedOut = false;
  }

  /** Returns {@code true} when the source did not answer in time (rather than refusing or answering badly). */
  public boolean timedOut() {
    return timedOut;
  }
}
