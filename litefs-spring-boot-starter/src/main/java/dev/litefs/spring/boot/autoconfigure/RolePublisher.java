package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.PrimaryChangedEvent;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link PrimaryChangedEvent}s one at a time, in order, on a dedicated {@code litefs-role} thread,
 * so that slow listeners (stopping a worker, running migrations on promotion) never hold up the thread that
 * reads LiteFS's event stream. Events are published only between {@link #start()} and {@link #stop()}.
 */
final class RolePublisher {
  private static final Logger log = LoggerFactory.getLogger(RolePublisher.class);

  private final ApplicationEventPublisher publisher;
  private final ExecutorService executor;
  private final java.util.concurrent.atomic.AtomicInteger pendingPromotions = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean started;

  RolePublisher(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "litefs-role");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Counts a promotion as pending. Call it before the role turns primary, then {@link #publish} the
   * promotion, which releases the count once its listeners have run (or at once if it is not published).
   */
  void promotionStarting() {
    pendingPromotions.incrementAndGet();
  }

  /**
   * Publishes a role change. Call it after the new role is visible through the {@code LiteFs} bean, since
   * listeners read it from there.
   */
  void publish(Object source, boolean primary, boolean wasPrimary, @Nullable String primaryHostname) {
    boolean promotion = primary && !wasPrimary;
    if (!started) {
      log.debug("Not publishing a role change (primary={}): the application context has not started", primary);
      if (promotion) {
        pendingPromotions.decrementAndGet();
      }
      return;
    }
    PrimaryChangedEvent event = new PrimaryChangedEvent(source, primary, wasPrimary, primaryHostname);
    try {
      executor.execute(() -> {
        try {
          if (started) {
            publisher.publishEvent(event);
          }
        } catch (RuntimeException e) {
          log.error("A listener of {} failed", event, e);
        } finally {
          if (promotion) {
            pendingPromotions.decrementAndGet();
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      if (promotion) {
        pendingPromotions.decrementAndGet();
      }
    }
  }

  /**
   * Returns {@code true} while a promotion is being announced: its listeners (migrations first, then
   * primary-only lifecycle beans) have not all run yet. Primary-only work waits for them.
   */
  boolean promotionPending() {
    return pendingPromotions.get() > 0;
  }

  void start() {
    started = true;
  }

  void stop() {
    started = false;
  }

  void shutdown() {
    started = false;
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
