package dev.litefs.spring.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline; the failure says what was awaited. No fixed sleeps. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds, failing after {@code timeout} with {@code what}. */
  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    long pause = 1;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (Exception | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError err = new AssertionError("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
          err.initCause(last);
        }
        throw err;
      }
      try {
        Thread.sleep(pause); // a poll interval, not a wait for an assumed duration
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      pause = Math.min(pause * 2, 20);
    }
  }
}
