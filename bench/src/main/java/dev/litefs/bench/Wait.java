package dev.litefs.bench;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline, never for an assumed duration; a timeout says what was awaited. */
final class Wait {
  private Wait() {}

  /** Thrown when a condition did not hold in time. */
  static final class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Polls {@code condition} (every millisecond at first, then up to every 20 ms) until it holds. An exception
   * from the condition counts as "not yet", except an {@link IllegalStateException}, which ends the wait.
   *
   * @throws TimeoutException after {@code timeout}, with the last exception the condition threw as its cause
   */
  static void until(String what, Duration timeout, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    long pause = 1;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (IllegalStateException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what, last);
      }
      sleep(pause);
      pause = Math.min(pause * 2, 20);
    }
  }

  /** Sleeps, turning an interrupt into an unchecked exception that ends the benchmark. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
