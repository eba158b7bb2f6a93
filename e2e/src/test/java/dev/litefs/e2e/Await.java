package dev.litefs.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline; the failure says what was awaited and why it last failed. */
final class Await {
  private Await() {}

  /** Thrown by a condition that can never hold any more (a process died): ends the wait at once. */
  static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GiveUp(String message) {
      super(message);
    }
  }

  /**
   * Polls {@code condition} until it returns true, failing after {@code timeout} with {@code what}, or at once if
   * the condition throws {@link GiveUp}.
   */
  static void until(String what, Duration timeout, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    long pause = 5;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (GiveUp e) {
        throw new AssertionError("gave up waiting for " + what + ": " + e.getMessage(), e);
      } catch (Exception | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError err = new AssertionError("timed out after " + timeout + " waiting for " + what
            + (last == null ? "" : ": " + last.getMessage()));
        if (last != null) {
          err.initCause(last);
        }
        throw err;
      }
      try {
        Thread.sleep(pause); // the poll interval between two checks, not a wait for an assumed duration
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      pause = Math.min(pause * 2, 50);
    }
  }
}
